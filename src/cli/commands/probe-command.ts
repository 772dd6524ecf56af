/**
 * `warden probe [TARGET…]`: live, read-only checks of the network endpoints a workspace declares.
 * With no TARGET every declared endpoint is probed. Scope is enforced before any traffic: a target
 * must be declared in warden.yaml or covered by --allow-target; metadata and link-local addresses
 * need an --allow-target that names them. A refusal exits 1 (SCOPE_REFUSED) with nothing sent.
 */
import { Command } from 'commander';
import { WardenError } from '../../domain/index.js';
import type { ScanResult } from '../../domain/index.js';
import { createProbeScanner, declaredTargets, parseTarget } from '../../scanners/probe/index.js';
import type { HostResolver } from '../../scanners/probe/index.js';
import { Progress } from '../cli-io.js';
import { optionalWorkspace } from '../workspace-option.js';
import type { CliIO } from '../cli-io.js';
import { addReportOptions, breaches, readReportFlags } from '../cli-options.js';
import { EXIT_FINDINGS, EXIT_OK } from '../exit-codes.js';
import { emitReport } from '../report-output.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export interface ProbeCommandOptions {
  /** Name resolution for tests; node:dns by default. */
  readonly resolve?: HostResolver;
}

export function registerProbeCommand(program: Command, io: CliIO, setExit: (code: number) => void, options: ProbeCommandOptions = {}): void {
  const command = new Command('probe')
    .description('live, read-only checks of declared endpoints (auth, TLS, rate limits, known CVEs); only GET/HEAD/OPTIONS are sent')
    .argument('[targets...]', 'URLs or HOST:PORT to probe (default: every endpoint declared in warden.yaml)')
    .option('-w, --workspace <dir>', 'workspace whose declared endpoints are in scope (default: warden.yaml in the current folder)')
    .option('--allow-target <spec>', 'also allow HOST:PORT or an address block (CIDR); repeatable. Needed to probe metadata or link-local addresses', collect, [])
    .option('--concurrency <n>', 'targets probed at once', '16')
    .option('--timeout <seconds>', 'deadline per request or handshake', '5')
    .option('--ca-file <file>', 'extra trusted CA certificate (PEM) for the chain check; repeatable', collect, []);
  addReportOptions(command, 'high').action(async (targets: string[], opts: Record<string, unknown>) => {
    const flags = readReportFlags(opts);
    const ws = await optionalWorkspace(io, typeof opts['workspace'] === 'string' ? opts['workspace'] : undefined);
    const allowTargets = Array.isArray(opts['allowTarget']) ? opts['allowTarget'].map(String) : [];

    let inputs: string[];
    if (targets.length > 0) {
      // Parse now, so a malformed target is a usage error before anything else happens.
      for (const t of targets) parseTarget(t);
      inputs = targets;
    } else {
      const declared = declaredTargets(ws?.workspace);
      if (declared.length === 0) {
        throw new WardenError(
          'USAGE',
          ws === undefined
            ? 'Nothing to probe: no TARGET given and no warden.yaml here (use -w DIR, or name targets with --allow-target).'
            : 'Nothing to probe: the workspace declares no endpoint (an asset of kind notebook-server, inference-endpoint, model-registry, monitoring, training-environment or pipeline whose location is a URL or HOST:PORT).',
        );
      }
      inputs = declared.map((d) => d.target.input);
    }

    const scanner = createProbeScanner({ enabled: true, ...(options.resolve !== undefined && { resolve: options.resolve }) });
    const progress = new Progress(io.stderr, !flags.quiet);
    const scannerOptions = {
      allowTarget: allowTargets,
      caFile: Array.isArray(opts['caFile']) ? opts['caFile'].map(String) : [],
      concurrency: String(opts['concurrency'] ?? ''),
      timeout: String(opts['timeout'] ?? ''),
    };
    progress.update(`probe: ${inputs.length} target(s)`, true);
    const result: ScanResult = await scanner.scan(
      { root: ws?.dir ?? io.cwd, inputs },
      {
        ...(ws !== undefined && { workspace: ws.workspace, workspaceDir: ws.dir }),
        options: scannerOptions,
        onProgress: (p) => progress.update(`probe: ${p.done}/${p.total ?? '?'} ${p.current ?? ''}`),
      },
    );
    progress.done();
    await emitReport(io, { kind: 'scan', scanner: scanner.name, results: [result], rules: scanner.rules, ...(flags.failOn !== undefined && { failOn: flags.failOn }) }, flags);
    if (!flags.quiet && (flags.out !== undefined || flags.format !== 'table')) {
      io.stderr.write(`warden: probe: ${result.findings.length} findings, ${result.unscannable.length} unscannable, ${result.stats?.['requests'] ?? 0} requests\n`);
    }
    setExit(breaches(result.findings, flags.failOn) > 0 ? EXIT_FINDINGS : EXIT_OK);
  });
  program.addCommand(command);
}
