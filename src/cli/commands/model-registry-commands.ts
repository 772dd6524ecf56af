/**
 * `warden model register|list|show|scan|review|exception|promote|export`: the model registry and
 * its deployment gate. Every command works on the workspace in `-w DIR` (default: the current
 * folder) and its store. `--by` is the acting identity, a person of the workspace, until the
 * server brings authentication. A refused promotion or export is recorded, printed with every
 * reason, and exits 1; unknown people, clients or versions are input errors (exit 2).
 */
import { Option } from 'commander';
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { WardenError, atOrAbove } from '../../domain/index.js';
import type { ModelStage } from '../../domain/index.js';
import {
  exportModelVersion,
  mergeMetrics,
  parseMetricArguments,
  parseModelVersionRef,
  promoteModelVersion,
  readMetricsFile,
  recordDeploymentException,
  registerModelVersion,
  rescanModelVersion,
  reviewModelVersion,
} from '../../registry/index.js';
import type { RegistryContext } from '../../registry/index.js';
import { createDefaultRegistry } from '../../scanners/index.js';
import { openStore, resolveStoreOptions } from '../../store/index.js';
import { loadWorkspace } from '../../workspace/index.js';
import type { CliIO } from '../cli-io.js';
import { EXIT_FINDINGS, EXIT_OK } from '../exit-codes.js';
import {
  renderException,
  renderExport,
  renderHistory,
  renderList,
  renderPromotion,
  renderRegistered,
  renderReview,
  renderScan,
} from './model-registry-render.js';

export interface ModelRegistryCommandOptions {
  /** Clock for decisions and expiry (tests). */
  readonly now?: () => Date;
}

type Format = 'text' | 'json';

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((v) => v.trim()).filter((v) => v !== '')];
const formatOption = (): Option => new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');
const workspaceOption = (): Option => new Option('-w, --workspace <dir>', 'workspace folder (holding warden.yaml)').default('.');

export function registerModelRegistryCommands(
  model: Command,
  io: CliIO,
  setExit: (code: number) => void,
  options: ModelRegistryCommandOptions = {},
): void {
  const json = (value: unknown): void => {
    io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  };

  /** Loads the workspace, opens its store, and runs `fn` with the registry of that workspace. */
  const withRegistry = async <T>(workspaceDir: string, fn: (ctx: RegistryContext) => Promise<T>): Promise<T> => {
    const loaded = await loadWorkspace(resolve(io.cwd, workspaceDir));
    const store = await openStore(resolveStoreOptions(loaded.dir, io.env));
    try {
      return await fn({
        loaded,
        models: store.models.forWorkspace(loaded.workspace.organisation.name),
        scanner: createDefaultRegistry().get('models'),
        ...(options.now !== undefined && { now: options.now }),
      });
    } finally {
      await store.close();
    }
  };
  const today = (): string => (options.now?.() ?? new Date()).toISOString().slice(0, 10);
  model.description('model artifacts: sign and verify (OpenSSF model signing), register, review, and promote through the deployment gate');

  model
    .command('register')
    .description('record a model version: file digests, signature check, training data (lineage), metrics, owner; scans it')
    .argument('<name>', 'model name (a workspace model asset id, to promote it later)')
    .argument('<version>', 'version label, e.g. 3 or v1.2.0')
    .argument('<dir>', 'model folder or single model file')
    .requiredOption('--by <person>', 'who registers it (a person id of the workspace)')
    .option('--signature <path>', 'signature bundle (default: <dir>/model.sig or <file>.sig when present)')
    .option('--metrics <file>', 'JSON object of metrics, e.g. {"auc": 0.91}')
    .option('--metric <name=value>', 'one metric (repeatable; overrides --metrics)', collect)
    .option('--owner <person>', 'owner when no workspace asset has this name (an asset\'s owner always wins)')
    .addOption(workspaceOption())
    .addOption(formatOption())
    .action(async (name: string, version: string, dir: string, opts: { by: string; signature?: string; metrics?: string; metric?: string[]; owner?: string; workspace: string; format: Format }) => {
      const fromFile = opts.metrics === undefined ? {} : await readMetricsFile(resolve(io.cwd, opts.metrics));
      const metrics = mergeMetrics(fromFile, parseMetricArguments(opts.metric ?? []));
      const result = await withRegistry(opts.workspace, (ctx) =>
        registerModelVersion(ctx, {
          name,
          version,
          modelPath: resolve(io.cwd, dir),
          ...(opts.signature !== undefined && { signaturePath: resolve(io.cwd, opts.signature) }),
          metrics,
          by: opts.by,
          ...(opts.owner !== undefined && { owner: opts.owner }),
        }),
      );
      if (opts.format === 'json') json(result);
      else io.stdout.write(renderRegistered(result.version, result.scan));
      if (opts.format === 'text' && result.version.signatureCheck.status !== 'verified') {
        io.stderr.write(`warden: warning: ${name}@${version} cannot be promoted as it is: its signature is ${result.version.signatureCheck.status}\n`);
      }
      setExit(EXIT_OK);
    });

  model
    .command('list')
    .description('registered model versions with their stage, signature, latest scan and review')
    .option('--name <name>', 'only versions of this model')
    .addOption(new Option('--stage <stage>', 'only versions in this stage').choices(['development', 'staging', 'production']))
    .addOption(workspaceOption())
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (opts: { name?: string; stage?: ModelStage; workspace: string; format: 'table' | 'json' }) => {
      const histories = await withRegistry(opts.workspace, async (ctx) => {
        const versions = await ctx.models.list({ ...(opts.name !== undefined && { name: opts.name }), ...(opts.stage !== undefined && { stage: opts.stage }) });
        return Promise.all(versions.map((v) => ctx.models.history(v.name, v.version)));
      });
      if (opts.format === 'json') json({ versions: histories });
      else io.stdout.write(renderList(histories));
      setExit(EXIT_OK);
    });

  model
    .command('show')
    .description('everything recorded about a version: files, signature, lineage, metrics, scans, reviews, promotions, exceptions')
    .argument('<ref>', 'NAME@VERSION')
    .addOption(workspaceOption())
    .addOption(formatOption())
    .action(async (ref: string, opts: { workspace: string; format: Format }) => {
      const { name, version } = parseModelVersionRef(ref);
      const history = await withRegistry(opts.workspace, (ctx) => ctx.models.history(name, version));
      if (opts.format === 'json') json(history);
      else io.stdout.write(renderHistory(history, today()));
      setExit(EXIT_OK);
    });

  model
    .command('scan')
    .description('scan a version\'s files where they live now (its stage copy, or its source folder) and record the result')
    .argument('<ref>', 'NAME@VERSION')
    .option('--by <person>', 'who asked for the scan')
    .addOption(workspaceOption())
    .addOption(formatOption())
    .action(async (ref: string, opts: { by?: string; workspace: string; format: Format }) => {
      const { name, version } = parseModelVersionRef(ref);
      const scan = await withRegistry(opts.workspace, (ctx) => rescanModelVersion(ctx, name, version, opts.by ?? null));
      if (opts.format === 'json') json(scan);
      else io.stdout.write(renderScan(ref, scan));
      const blocking = scan.error !== null || (scan.highest !== null && atOrAbove(scan.highest, 'high'));
      setExit(blocking ? EXIT_FINDINGS : EXIT_OK);
    });

  model
    .command('review')
    .description('record a security review of a version (approve or reject), kept with who, when and why')
    .argument('<ref>', 'NAME@VERSION')
    .option('--approve', 'the version passed review')
    .option('--reject', 'the version failed review (blocks production until the same reviewer approves)')
    .requiredOption('--by <person>', 'the reviewer (a person id of the workspace; not the one who registered it, to approve)')
    .requiredOption('--note <text>', 'what was reviewed and concluded')
    .addOption(workspaceOption())
    .addOption(formatOption())
    .action(async (ref: string, opts: { approve?: boolean; reject?: boolean; by: string; note: string; workspace: string; format: Format }) => {
      if ((opts.approve === true) === (opts.reject === true)) throw new WardenError('USAGE', 'give exactly one of --approve or --reject');
      const { name, version } = parseModelVersionRef(ref);
      const review = await withRegistry(opts.workspace, (ctx) =>
        reviewModelVersion(ctx, { name, version, decision: opts.approve === true ? 'approved' : 'rejected', by: opts.by, note: opts.note }),
      );
      if (opts.format === 'json') json(review);
      else io.stdout.write(renderReview(review));
      setExit(EXIT_OK);
    });

  model
    .command('exception')
    .description('record an approved exception: the version may be deployed for CLIENT although it carries other clients\' data')
    .argument('<ref>', 'NAME@VERSION')
    .requiredOption('--client <client>', 'the client the deployment serves')
    .option('--data-client <client>', 'other client whose data it may carry there (repeatable; default: every other client in its lineage)', collect)
    .requiredOption('--approved-by <person>', 'who approves (a person id of the workspace; not the promoter, for it to count)')
    .requiredOption('--reason <text>', 'why (e.g. written consent of both clients, reference)')
    .requiredOption('--expires <date>', 'last day the exception holds, YYYY-MM-DD')
    .addOption(workspaceOption())
    .addOption(formatOption())
    .action(async (ref: string, opts: { client: string; dataClient?: string[]; approvedBy: string; reason: string; expires: string; workspace: string; format: Format }) => {
      const { name, version } = parseModelVersionRef(ref);
      const exception = await withRegistry(opts.workspace, (ctx) =>
        recordDeploymentException(ctx, {
          name,
          version,
          client: opts.client,
          ...(opts.dataClient !== undefined && { dataClients: opts.dataClient }),
          approvedBy: opts.approvedBy,
          reason: opts.reason,
          expiresOn: opts.expires,
        }),
      );
      if (opts.format === 'json') json(exception);
      else io.stdout.write(renderException(exception));
      setExit(EXIT_OK);
    });

  model
    .command('promote')
    .description('move a version to staging or production through the deployment gate; refusals list every reason and are recorded')
    .argument('<ref>', 'NAME@VERSION')
    .addOption(new Option('--to <stage>', 'target stage').choices(['staging', 'production']).makeOptionMandatory())
    .requiredOption('--by <person>', 'who promotes (a person id of the workspace, allowed by controls.model_access.promote)')
    .option('--for <client>', 'client the deployment serves (repeatable; default: the model asset\'s clients)', collect)
    .addOption(workspaceOption())
    .addOption(formatOption())
    .action(async (ref: string, opts: { to: 'staging' | 'production'; by: string; for?: string[]; workspace: string; format: Format }) => {
      const { name, version } = parseModelVersionRef(ref);
      const outcome = await withRegistry(opts.workspace, (ctx) =>
        promoteModelVersion(ctx, { name, version, toStage: opts.to, by: opts.by, ...(opts.for !== undefined && { forClients: opts.for }) }),
      );
      if (opts.format === 'json') json({ allowed: outcome.decision.allowed, reasons: outcome.decision.reasons, promotion: outcome.record, scan: outcome.scan });
      else if (outcome.decision.allowed) io.stdout.write(renderPromotion(outcome.record));
      else io.stderr.write(renderPromotion(outcome.record));
      setExit(outcome.decision.allowed ? EXIT_OK : EXIT_FINDINGS);
    });

  model
    .command('export')
    .description('copy a version out of the registry (from its stage copy), for someone allowed to export it; every byte is checked')
    .argument('<ref>', 'NAME@VERSION')
    .requiredOption('--out <dir>', 'a new folder to copy the model into')
    .requiredOption('--by <person>', 'who exports (allowed by controls.model_access.export, or controls.access)')
    .addOption(workspaceOption())
    .addOption(formatOption())
    .action(async (ref: string, opts: { out: string; by: string; workspace: string; format: Format }) => {
      const { name, version } = parseModelVersionRef(ref);
      const outcome = await withRegistry(opts.workspace, (ctx) => exportModelVersion(ctx, { name, version, by: opts.by, destination: resolve(io.cwd, opts.out) }));
      if (opts.format === 'json') json(outcome);
      else (outcome.allowed ? io.stdout : io.stderr).write(renderExport(ref, opts.by, outcome.allowed, outcome.path, outcome.reasons));
      setExit(outcome.allowed ? EXIT_OK : EXIT_FINDINGS);
    });
}
