/**
 * `warden scan NAME PATH…`: one registered scanner over files, folders or targets. Subcommands
 * are generated from the scanner registry, each with the scanner's own options, so a new scanner
 * appears here without changes.
 */
import { Command } from 'commander';
import { dirname, resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { WardenError } from '../../domain/index.js';
import type { ScanResult, Scanner } from '../../domain/index.js';
import type { ScannerRegistry } from '../../scanners/index.js';
import { Progress } from '../cli-io.js';
import { optionalWorkspace } from '../workspace-option.js';
import type { CliIO } from '../cli-io.js';
import { addReportOptions, breaches, readReportFlags } from '../cli-options.js';
import { EXIT_FINDINGS, EXIT_OK } from '../exit-codes.js';
import { emitReport } from '../report-output.js';

/** Network targets (URL or host:port) are passed through; paths are resolved and must exist. */
function isNetworkTarget(input: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(input) || /^[^/\\]+:\d{1,5}$/.test(input);
}

async function targetFor(io: CliIO, input: string): Promise<{ root: string; inputs: string[] }> {
  if (isNetworkTarget(input)) return { root: io.cwd, inputs: [input] };
  const path = resolve(io.cwd, input);
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new WardenError('INPUT_NOT_FOUND', `${input}: no such file or folder.`, { cause: error });
  }
  return { root: info.isDirectory() ? path : dirname(path), inputs: [path] };
}

function scannerCommand(scanner: Scanner, io: CliIO, setExit: (code: number) => void): Command {
  const command = new Command(scanner.name)
    .description(scanner.description)
    .argument('[paths...]', 'files, folders or targets to scan', ['.'])
    .option('-w, --workspace <dir>', 'workspace whose settings (allowlists, policy) apply');
  for (const option of scanner.options ?? []) {
    if (option.defaultValue !== undefined) command.option(option.flags, option.description, option.defaultValue);
    else command.option(option.flags, option.description);
  }
  addReportOptions(command, scanner.defaultFailOn ?? 'high').action(async (paths: string[], opts: Record<string, unknown>) => {
    const flags = readReportFlags(opts);
    const ws = await optionalWorkspace(io, typeof opts['workspace'] === 'string' ? opts['workspace'] : undefined);
    const progress = new Progress(io.stderr, !flags.quiet);
    const scannerOptions: Record<string, string | boolean | number | readonly string[] | undefined> = {};
    for (const [key, value] of Object.entries(opts)) {
      if (['format', 'out', 'failOn', 'quiet', 'workspace'].includes(key)) continue;
      if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') scannerOptions[key] = value;
      else if (Array.isArray(value)) scannerOptions[key] = value.map(String);
    }
    const results: ScanResult[] = [];
    for (const input of paths) {
      const target = await targetFor(io, input);
      progress.update(`${scanner.name}: scanning ${input}`, true);
      results.push(
        await scanner.scan(target, {
          ...(ws !== undefined && { workspace: ws.workspace, workspaceDir: ws.dir }),
          options: scannerOptions,
          onProgress: (p) => progress.update(`${scanner.name}: ${p.done}${p.total ? `/${p.total}` : ''} ${p.current ?? ''}`),
        }),
      );
    }
    progress.done();
    await emitReport(io, { kind: 'scan', scanner: scanner.name, results, rules: scanner.rules, ...(flags.failOn !== undefined && { failOn: flags.failOn }) }, flags);
    const findings = results.flatMap((r) => r.findings);
    const unscannable = results.reduce((n, r) => n + r.unscannable.length, 0);
    if (!flags.quiet && (flags.out !== undefined || flags.format !== 'table')) {
      io.stderr.write(`warden: ${scanner.name}: ${findings.length} findings, ${unscannable} unscannable\n`);
    }
    setExit(breaches(findings, flags.failOn) > 0 ? EXIT_FINDINGS : EXIT_OK);
  });
  return command;
}

export function registerScanCommands(program: Command, io: CliIO, registry: ScannerRegistry, setExit: (code: number) => void): void {
  const scan = program.command('scan').description('run one scanner: warden scan NAME PATH…');
  for (const scanner of registry.list()) scan.addCommand(scannerCommand(scanner, io, setExit));
  program
    .command('scanners')
    .description('list the registered scanners and the evidence each provides')
    .action(() => {
      const list = registry.list();
      if (list.length === 0) io.stdout.write('no scanners registered\n');
      for (const s of list) io.stdout.write(`${s.name.padEnd(10)} ${s.evidenceKind.padEnd(14)} ${s.rules.length} rules  ${s.description}\n`);
      setExit(EXIT_OK);
    });
}
