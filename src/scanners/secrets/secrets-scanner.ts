/**
 * `warden scan secrets PATH`: credentials and personal data in code, configs, notebooks, data files
 * and (with --history) every commit of a git repository.
 *
 * Findings never hold a secret: messages, evidence and properties carry masked values, and the
 * fingerprint key is the rule plus a hash of the value (so it survives line moves and baselines keep
 * matching). What could not be scanned is listed as unscannable with the reason.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { WardenError, describeError } from '../../domain/index.js';
import type { Asset, Finding, RuleDescriptor, ScanContext, ScanResult, ScanTarget, Scanner, ScannerOption, Unscannable } from '../../domain/index.js';
import { createFinding, localPathOf } from '../index.js';
import { scanFile } from './file-scanner.js';
import type { FileReport } from './file-scanner.js';
import { gitTopLevel, scanHistory } from './git-history.js';
import type { HistoryFinding } from './git-history.js';
import { collectFiles } from './input-files.js';
import type { LocatedFinding, LocatedPii } from './notebook-scanner.js';
import { PII_RULES } from './pii-rules.js';
import { DEFAULT_REMEDIATION } from './rule-types.js';
import { BUILTIN_SECRET_RULES } from './rules/index.js';
import { loadSecretsConfig, pathAllowed, readBaseline, writeBaseline } from './secrets-config.js';
import { builtinEngine } from './secret-engine-instance.js';
import { scanWithWorkers } from './worker-pool.js';

const SOURCE = 'secrets';
const SECRET_CONTROLS = ['WD-INFRA-05'] as const;
const NOTEBOOK_CONTROL = 'WD-INFRA-04';
const DATA_CONTROL = 'WD-DATA-01';
/** Below this many files, worker start-up costs more than it saves. */
const INLINE_FILES = 64;
const TARGET_KINDS = new Set<Asset['kind']>(['code-repository', 'notebook-server', 'pipeline', 'training-environment', 'dataset']);

const PII_REMEDIATION =
  'Remove personal data from notebook outputs (clear outputs before committing, e.g. nbstripout) and from data files in the repository; ' +
  'keep it in a classified, access-controlled store and record the dataset\'s classification and data categories in warden.yaml.';

export const SECRET_RULE_DESCRIPTORS: readonly RuleDescriptor[] = [
  ...BUILTIN_SECRET_RULES.map((rule) => ({
    id: `secrets/${rule.id}`,
    title: rule.title,
    severity: rule.severity,
    description: rule.description,
    remediation: rule.remediation ?? DEFAULT_REMEDIATION,
    controls: [...SECRET_CONTROLS],
  })),
  ...PII_RULES.map((rule) => ({
    id: `secrets/${rule.id}`,
    title: rule.title,
    severity: rule.severity,
    description: `${rule.description} Suggested classification: ${rule.classification} (${rule.category}).`,
    remediation: PII_REMEDIATION,
    controls: [DATA_CONTROL],
  })),
];

const REMEDIATIONS = new Map(BUILTIN_SECRET_RULES.map((r) => [`secrets/${r.id}`, r.remediation ?? DEFAULT_REMEDIATION]));

const OPTIONS: readonly ScannerOption[] = [
  { flags: '--history', description: 'also scan every commit reachable from any ref (added lines only)' },
  { flags: '--baseline <file>', description: 'report only findings whose fingerprints are not in this baseline file' },
  { flags: '--write-baseline <file>', description: 'write the fingerprints of all current findings to this baseline file' },
  { flags: '--no-pii', description: 'do not look for personal data in notebook outputs and data files' },
  { flags: '--jobs <n>', description: 'worker threads for file scanning (default: number of CPUs)' },
];

interface Options {
  readonly history: boolean;
  readonly baseline?: string;
  readonly writeBaseline?: string;
  readonly pii: boolean;
  readonly jobs: number;
}

function stringOption(value: unknown, flag: string): string | undefined {
  if (value === undefined || value === false) return undefined;
  if (typeof value !== 'string' || value.length === 0) throw new WardenError('USAGE', `${flag} needs a file name.`, { details: { option: flag } });
  return value;
}

export function parseOptions(raw: ScanContext['options']): Options {
  const jobsRaw = raw['jobs'];
  let jobs = Math.max(1, Math.min(availableParallelism(), 8));
  if (jobsRaw !== undefined) {
    const n = typeof jobsRaw === 'number' ? jobsRaw : Number(jobsRaw);
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new WardenError('USAGE', '--jobs must be a whole number from 1 to 64.', { details: { option: '--jobs' } });
    jobs = n;
  }
  const baseline = stringOption(raw['baseline'], '--baseline');
  const writeBaselineFile = stringOption(raw['writeBaseline'], '--write-baseline');
  return {
    history: raw['history'] === true,
    pii: raw['pii'] !== false,
    jobs,
    ...(baseline !== undefined && { baseline }),
    ...(writeBaselineFile !== undefined && { writeBaseline: writeBaselineFile }),
  };
}

/** `location` must be a local path relative to the workspace, not a URI or host:port. */

interface Tallies {
  files: number;
  bytes: number;
  notebooks: number;
  skippedBinary: number;
  skippedGenerated: number;
  allowedPaths: number;
  suppressedInline: number;
  suppressedPattern: number;
  baselined: number;
  historyCommits: number;
  historyBytes: number;
  workers: number;
}

function notebookProps(f: LocatedFinding | LocatedPii): Record<string, string | number> {
  if (f.notebook === undefined) return {};
  return {
    cell: f.notebook.cell,
    cellLine: f.notebook.cellLine,
    cellType: f.notebook.cellType,
    ...(f.notebook.output !== undefined && { output: f.notebook.output }),
  };
}

function where(path: string, member?: string): string {
  return member === undefined ? path : `${path} (${member})`;
}

function secretFinding(report: FileReport, f: LocatedFinding, asset: string | undefined): Finding {
  const detail = f.detail !== undefined && f.detail.length > 0 ? ` ${f.detail}` : '';
  return createFinding({
    ruleId: f.ruleId,
    severity: f.severity,
    message: `${f.title} ${f.masked}${detail} in ${where(report.relativePath, f.member)}.`,
    location: {
      path: report.relativePath,
      line: f.fileLine,
      ...(f.column !== undefined && f.notebook === undefined && { column: f.column }),
      ...(f.member !== undefined && { member: f.member }),
    },
    source: SOURCE,
    ...(asset !== undefined && { asset }),
    evidence: f.evidence,
    remediation: REMEDIATIONS.get(f.ruleId) ?? DEFAULT_REMEDIATION,
    controls: report.notebook ? [...SECRET_CONTROLS, NOTEBOOK_CONTROL] : [...SECRET_CONTROLS],
    properties: { masked: f.masked, ...notebookProps(f) },
    key: `${f.ruleId}:${f.secretHash}`,
  });
}

function piiFinding(report: FileReport, p: LocatedPii, asset: string | undefined): Finding {
  return createFinding({
    ruleId: p.ruleId,
    severity: p.severity,
    message: `${p.title}: ${p.count} in ${where(report.relativePath, p.member)} (first at line ${p.fileLine}: ${p.sample}); suggested classification: ${p.classification}.`,
    location: { path: report.relativePath, line: p.fileLine, ...(p.member !== undefined && { member: p.member }) },
    source: SOURCE,
    ...(asset !== undefined && { asset }),
    evidence: p.sample,
    remediation: PII_REMEDIATION,
    controls: report.notebook ? [DATA_CONTROL, NOTEBOOK_CONTROL] : [DATA_CONTROL],
    properties: { count: p.count, classification: p.classification, category: p.category, masked: p.sample, ...notebookProps(p) },
    key: p.ruleId,
  });
}

function historyFinding(h: HistoryFinding, commits: number, asset: string | undefined): Finding {
  return createFinding({
    ruleId: h.ruleId,
    severity: h.severity,
    message: `${h.title} ${h.masked} in git history: ${h.path} at commit ${h.commit.slice(0, 12)} (${h.author}, ${h.date.slice(0, 10)}); not in the current files, but still readable by anyone with the repository.`,
    location: { path: h.path, line: h.line },
    source: SOURCE,
    ...(asset !== undefined && { asset }),
    evidence: h.evidence,
    remediation: `${REMEDIATIONS.get(h.ruleId) ?? DEFAULT_REMEDIATION} Rewriting history does not un-leak a pushed secret: rotate it first.`,
    controls: [...SECRET_CONTROLS],
    properties: { masked: h.masked, commit: h.commit, author: h.author, date: h.date, historical: true, commits },
    key: `${h.ruleId}:${h.secretHash}`,
  });
}

export const secretsScanner: Scanner = {
  name: 'secrets',
  description: 'Secrets (AI-platform, cloud, source-hosting, payment and generic credentials, private keys) and personal data in code, notebooks, data files and git history.',
  evidenceKind: 'scan:secrets',
  rules: SECRET_RULE_DESCRIPTORS,
  options: OPTIONS,
  defaultFailOn: 'high',

  targetFor(asset: Asset, workspaceDir: string): ScanTarget | undefined {
    if (!TARGET_KINDS.has(asset.kind)) return undefined;
    const path = localPathOf(asset.location, workspaceDir);
    if (path === undefined) return undefined;
    return { root: workspaceDir, inputs: [path], asset: asset.id };
  },

  async scan(target: ScanTarget, context: ScanContext): Promise<ScanResult> {
    const startedAt = new Date();
    const options = parseOptions(context.options);
    const config = loadSecretsConfig(context.workspace);
    const baseline = options.baseline !== undefined ? await readBaseline(resolve(options.baseline)) : undefined;
    const allow = config.allowPatterns;
    const t: Tallies = {
      files: 0, bytes: 0, notebooks: 0, skippedBinary: 0, skippedGenerated: 0, allowedPaths: 0, suppressedInline: 0,
      suppressedPattern: 0, baselined: 0, historyCommits: 0, historyBytes: 0, workers: 0,
    };
    const unscannable: Unscannable[] = [];
    const inputs = target.inputs.map((input) => resolve(target.root, input));
    const collected = await collectFiles(target.root, inputs, context.signal);
    unscannable.push(...collected.missing);
    const files = collected.files.filter((f) => {
      if (!pathAllowed(config, f.relativePath)) return true;
      t.allowedPaths += 1;
      return false;
    });

    const reports: FileReport[] = [];
    let done = 0;
    const onReports = (batch: readonly FileReport[]): void => {
      reports.push(...batch);
      done += batch.length;
      context.onProgress?.({ done, total: files.length, current: batch[batch.length - 1]?.relativePath });
    };
    const pairs = files.map((f) => [f.path, f.relativePath] as const);
    if (files.length < INLINE_FILES || options.jobs === 1) {
      const engine = builtinEngine();
      for (const [path, relativePath] of pairs) {
        if (context.signal?.aborted === true) {
          unscannable.push({ path: relativePath, reason: 'scan aborted' });
          continue;
        }
        onReports([scanFileSafely(() => scanFile(engine, path, relativePath, { allow, pii: options.pii }), path, relativePath)]);
      }
    } else {
      t.workers = Math.min(options.jobs, Math.ceil(files.length / 32));
      const { aborted } = await scanWithWorkers(pairs, options.jobs, { allowPatternSources: config.allowPatternSources, pii: options.pii }, onReports, context.signal);
      for (const [, relativePath] of aborted) unscannable.push({ path: relativePath, reason: 'scan aborted' });
    }

    const findings: Finding[] = [];
    const present = new Set<string>(); // ruleId:hash:path of secrets in the current files
    for (const report of reports) {
      t.bytes += report.bytes;
      if (report.skipped === 'binary') t.skippedBinary += 1;
      else if (report.skipped === 'generated') t.skippedGenerated += 1;
      if (report.notebook) t.notebooks += 1;
      if (report.unscannable !== undefined) unscannable.push({ path: report.relativePath, reason: report.unscannable });
      else t.files += 1;
      if (report.truncated > 0) {
        unscannable.push({ path: report.relativePath, reason: `${report.truncated} further candidate secrets beyond the per-file cap were not examined` });
      }
      for (const f of report.findings) {
        if (f.suppressed === 'inline') t.suppressedInline += 1;
        else if (f.suppressed === 'allow-pattern') t.suppressedPattern += 1;
        else {
          findings.push(secretFinding(report, f, target.asset));
          present.add(`${f.ruleId}:${f.secretHash}:${report.relativePath}`);
        }
      }
      for (const p of report.pii) findings.push(piiFinding(report, p, target.asset));
    }

    if (options.history) {
      const tops = new Set<string>();
      for (const input of inputs) {
        try {
          const top = await gitTopLevel(input);
          if (top === undefined) unscannable.push({ path: input, reason: 'not inside a git repository: history not scanned' });
          else tops.add(top);
        } catch (error) {
          unscannable.push({ path: input, reason: `git history not scanned: ${describeError(error)}` });
        }
      }
      for (const top of tops) {
        try {
          const result = await scanHistory(builtinEngine(), top, target.root, allow, context.signal);
          t.historyCommits += result.commits;
          t.historyBytes += result.bytes;
          // git log lists newest first: keep the oldest commit that added each secret to each file.
          const byKey = new Map<string, { finding: HistoryFinding; commits: number }>();
          for (const h of result.findings) {
            if (h.suppressed === 'inline') {
              t.suppressedInline += 1;
              continue;
            }
            if (h.suppressed === 'allow-pattern' || pathAllowed(config, h.path)) {
              t.suppressedPattern += 1;
              continue;
            }
            const key = `${h.ruleId}:${h.secretHash}:${h.path}`;
            const seen = byKey.get(key);
            byKey.set(key, { finding: h, commits: (seen?.commits ?? 0) + 1 });
          }
          for (const [key, { finding, commits }] of byKey) {
            if (!present.has(key)) findings.push(historyFinding(finding, commits, target.asset));
          }
        } catch (error) {
          unscannable.push({ path: top, reason: `git history not scanned: ${describeError(error)}` });
        }
      }
    }

    // One finding per fingerprint (the same secret twice in one file is one leak), with a count.
    const unique = new Map<string, { finding: Finding; occurrences: number }>();
    for (const finding of findings) {
      const seen = unique.get(finding.fingerprint);
      if (seen === undefined) unique.set(finding.fingerprint, { finding, occurrences: 1 });
      else seen.occurrences += 1;
    }
    let result = [...unique.values()].map(({ finding, occurrences }) =>
      occurrences === 1 ? finding : { ...finding, properties: { ...finding.properties, occurrences } },
    );
    if (options.writeBaseline !== undefined) await writeBaseline(resolve(options.writeBaseline), result);
    if (baseline !== undefined) {
      const before = result.length;
      result = result.filter((f) => !baseline.has(f.fingerprint));
      t.baselined = before - result.length;
    }

    return {
      scanner: 'secrets',
      findings: result,
      scanned: t.files,
      unscannable,
      stats: { ...t, rules: SECRET_RULE_DESCRIPTORS.length },
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
    };
  },
};

function scanFileSafely(run: () => FileReport, path: string, relativePath: string): FileReport {
  try {
    return run();
  } catch (error) {
    return { path, relativePath, bytes: 0, findings: [], pii: [], notebook: false, truncated: 0, unscannable: `scan failed: ${describeError(error)}` };
  }
}
