/**
 * `warden assess [DIR]`: the one-day assessment of a workspace, kept in the store.
 */
import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import type { AssessmentResult, RuleDescriptor } from '../../domain/index.js';
import { loadCatalog } from '../../catalog/index.js';
import { assess } from '../../engine/index.js';
import { createDefaultRegistry } from '../../scanners/index.js';
import type { ScannerRegistry } from '../../scanners/index.js';
import { DATABASE_URL_ENV, openStore, redactDatabaseUrl, resolveStoreOptions } from '../../store/index.js';
import { loadWorkspace } from '../../workspace/index.js';
import type { LoadedWorkspace } from '../../workspace/index.js';
import { Progress } from '../cli-io.js';
import type { CliIO } from '../cli-io.js';
import { addReportOptions, breaches, readReportFlags } from '../cli-options.js';
import { EXIT_FINDINGS, EXIT_OK } from '../exit-codes.js';
import { emitReport } from '../report-output.js';

export interface AssessRunOptions {
  readonly scan: boolean;
  readonly store: boolean;
  readonly quiet: boolean;
  readonly registry?: ScannerRegistry;
}

/** Rule descriptors for SARIF: every scanner rule and every control of the catalog. */
export function assessmentRules(registry: ScannerRegistry): RuleDescriptor[] {
  const controls = loadCatalog().controls.map((c) => ({
    id: `control/${c.id}`,
    title: c.title,
    severity: c.weight >= 4 ? ('high' as const) : ('medium' as const),
    description: c.description,
    remediation: c.remediation,
    controls: [c.id],
  }));
  return [...registry.list().flatMap((s) => s.rules), ...controls];
}

/** Loads, assesses and (unless told not to) stores; returns the result. */
export async function runAssessment(io: CliIO, dir: string, options: AssessRunOptions): Promise<{ result: AssessmentResult; loaded: LoadedWorkspace }> {
  const loaded = await loadWorkspace(resolve(io.cwd, dir));
  const progress = new Progress(io.stderr, !options.quiet);
  let total = 0;
  let done = 0;
  const result = await assess(loaded, {
    registry: options.registry ?? createDefaultRegistry(),
    scan: options.scan,
    onScanPlanned: (n) => {
      total = n;
    },
    onScanDone: (item) => {
      done += 1;
      progress.update(`scanning ${done}/${total}: ${item.scanner.name} ${item.asset.id}`);
    },
  });
  progress.done();
  if (options.store) {
    const store = await openStore(resolveStoreOptions(loaded.dir, io.env));
    try {
      await store.runs.save(result);
    } finally {
      await store.close();
    }
  }
  return { result, loaded };
}

/** Where runs are kept, for messages: never the database password. */
export function storeLocation(io: CliIO, dir: string): string {
  const url = io.env[DATABASE_URL_ENV]?.trim();
  if (url === undefined || url === '') return join(dir, '.warden', 'warden.db');
  return URL.canParse(url) ? redactDatabaseUrl(new URL(url)) : DATABASE_URL_ENV;
}

export function summaryLine(result: AssessmentResult): string {
  const s = result.summary;
  const g = s.gapsBySeverity;
  return `warden: run ${result.id.slice(0, 8)} score ${s.score}/100 — ${g.critical} critical, ${g.high} high, ${g.medium} medium, ${g.low} low gaps across ${s.assets} assets\n`;
}

export interface AssessCommandOptions {
  /** Tests inject a registry; by default the built-in scanners (probes only with --probe). */
  readonly registry?: ScannerRegistry;
}

export function registerAssessCommands(program: Command, io: CliIO, setExit: (code: number) => void, options: AssessCommandOptions = {}): void {
  const assessCommand = program
    .command('assess')
    .description('answer the five questions for every asset, evaluate every control, rank the gaps')
    .argument('[dir]', 'workspace folder (holding warden.yaml)', '.')
    .option('--no-scan', 'do not run scanners; evaluate declarations only')
    .option('--probe', 'also probe the declared network endpoints live (read-only; only declared targets)')
    .option('--no-store', 'do not keep the run in the database');
  addReportOptions(assessCommand, 'none').action(async (dir: string, opts: Record<string, unknown>) => {
    const flags = readReportFlags(opts);
    const registry = options.registry ?? createDefaultRegistry({ probe: opts['probe'] === true });
    const { result } = await runAssessment(io, dir, { scan: opts['scan'] !== false, store: opts['store'] !== false, quiet: flags.quiet, registry });
    await emitReport(io, { kind: 'assessment', result, rules: assessmentRules(registry) }, flags);
    if (!flags.quiet && (flags.out !== undefined || flags.format !== 'table')) io.stderr.write(summaryLine(result));
    setExit(breaches(result.findings, flags.failOn) > 0 ? EXIT_FINDINGS : EXIT_OK);
  });

}
