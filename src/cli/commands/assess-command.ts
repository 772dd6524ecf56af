/**
 * `warden assess [DIR]`: the one-day assessment of a workspace, kept in the store.
 */
import type { Command } from 'commander';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isWardenError } from '../../domain/index.js';
import type { AssessmentResult, ModelRegistryEvidence, RuleDescriptor } from '../../domain/index.js';
import { loadCatalog } from '../../catalog/index.js';
import { assess } from '../../engine/index.js';
import { checkStagedArtifacts } from '../../registry/index.js';
import { createDefaultRegistry } from '../../scanners/index.js';
import type { ScannerRegistry } from '../../scanners/index.js';
import { DATABASE_URL_ENV, openStore, redactDatabaseUrl, resolveStoreOptions } from '../../store/index.js';
import type { Store } from '../../store/index.js';
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

/**
 * Loads, assesses and (unless told not to) stores; returns the result. The model registry's
 * records are read from the store first and handed to the engine as evidence (with scans on, the
 * staged and production copies are re-hashed too): the CLI gathers, the engine judges.
 */
export async function runAssessment(io: CliIO, dir: string, options: AssessRunOptions): Promise<{ result: AssessmentResult; loaded: LoadedWorkspace }> {
  const loaded = await loadWorkspace(resolve(io.cwd, dir));
  const storeOptions = resolveStoreOptions(loaded.dir, io.env);
  // With --no-store nothing may be created: an SQLite file that does not exist yet is not opened.
  const readable = options.store || storeOptions.sqlitePath === undefined || (await stat(storeOptions.sqlitePath).catch(() => null)) !== null;
  let store: Store | undefined;
  let modelRegistry: ModelRegistryEvidence | undefined;
  try {
    if (readable) {
      try {
        store = await openStore(storeOptions);
        modelRegistry = await readModelRegistry(store, loaded, options.scan);
      } catch (error) {
        if (options.store || !isWardenError(error)) throw error;
        io.stderr.write(`warden: warning: the model registry could not be read (${error.message}); model controls are judged from declarations only\n`);
      }
    }
    const progress = new Progress(io.stderr, !options.quiet);
    let total = 0;
    let done = 0;
    const result = await assess(loaded, {
      registry: options.registry ?? createDefaultRegistry(),
      scan: options.scan,
      ...(modelRegistry !== undefined && { modelRegistry }),
      onScanPlanned: (n) => {
        total = n;
      },
      onScanDone: (item) => {
        done += 1;
        progress.update(`scanning ${done}/${total}: ${item.scanner.name} ${item.asset.id}`);
      },
    });
    progress.done();
    if (options.store && store !== undefined) await store.runs.save(result);
    return { result, loaded };
  } finally {
    await store?.close();
  }
}

/** The workspace's registry records, or undefined when it holds none (declarations are judged then). */
async function readModelRegistry(store: Store, loaded: LoadedWorkspace, scan: boolean): Promise<ModelRegistryEvidence | undefined> {
  const evidence = await store.models.forWorkspace(loaded.workspace.organisation.name).evidence();
  if (evidence.versions.length === 0) return undefined;
  if (!scan) return evidence;
  return { ...evidence, artifactChecks: await checkStagedArtifacts(loaded.dir, evidence) };
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
