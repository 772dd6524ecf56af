/**
 * The `sarif` format: SARIF 2.1.0 (OASIS standard) as GitHub code scanning and other consumers
 * read it. Every output validates against the official schema (test/reports/sarif.test.ts).
 *
 * Mapping choices, per the SARIF 2.1.0 specification and GitHub's documented subset:
 * - level: critical/high → error, medium → warning, low/info → note;
 * - rule `properties.security-severity` is a numeric string (GitHub ranks alerts by it: ≥ 9.0
 *   critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low);
 * - file paths are relative URIs against `%SRCROOT%`; network findings use the URL itself;
 * - our line-independent fingerprint goes into `partialFingerprints` so alerts survive edits;
 * - inputs that could not be scanned become tool execution notifications, never silence.
 */
import { LazyList, jsonChunks } from './json-chunks.js';
import type { Finding, FindingLocation, RuleDescriptor, Severity, Unscannable } from '../domain/index.js';
import { assessmentFindings, completeRules, controlIdOf, controlTitles, scanView } from './report-model.js';
import type { AssessmentDocument, RenderOptions, ScanDocument } from './report-types.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/**
 * Where a reader of the SARIF learns about the tool. Placeholder on a reserved TLD until the
 * project has a public home: it must never point at somebody else's site.
 */
export const WARDEN_INFORMATION_URI = 'https://warden.invalid/docs/findings.md';
export const SARIF_FINGERPRINT_KEY = 'wardenFingerprint/v1';
const SRCROOT = '%SRCROOT%';

type SarifLevel = 'error' | 'warning' | 'note';
export const SARIF_LEVEL: Readonly<Record<Severity, SarifLevel>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json | undefined };
type JsonObject = { readonly [key: string]: Json | undefined };

/** `models/pickle-dangerous-import` → `ModelsPickleDangerousImport` (SARIF names are identifiers). */
function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase())
    .join('');
}

function sarifRule(rule: RuleDescriptor): JsonObject {
  const controls = rule.controls ?? [];
  const helpText = [rule.description, rule.remediation !== undefined ? `Remediation: ${rule.remediation}` : undefined]
    .filter((x): x is string => x !== undefined && x !== '')
    .join('\n\n');
  return {
    id: rule.id,
    name: ruleName(rule.id) || 'Rule',
    shortDescription: { text: rule.title || rule.id },
    ...(rule.description !== undefined && rule.description !== '' && { fullDescription: { text: rule.description } }),
    help: { text: helpText || rule.title || rule.id },
    defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
    properties: {
      'security-severity': SECURITY_SEVERITY[rule.severity],
      severity: rule.severity,
      tags: ['security', ...controls],
      ...(controls.length > 0 && { controls: [...controls] }),
    },
  };
}

/** A relative path as a URI reference: each segment percent-encoded, separators kept. */
function pathUri(path: string): { uri: string; uriBaseId?: string } {
  const normalised = path.replace(/\\/g, '/');
  const encode = (p: string): string => p.split('/').map(encodeURIComponent).join('/');
  // Paths are relative to the scanned root by contract; an absolute one still gets a valid URI.
  if (normalised.startsWith('/')) return { uri: `file://${encode(normalised)}` };
  const drive = /^([A-Za-z]):\/(.*)$/.exec(normalised);
  if (drive !== null) return { uri: `file:///${drive[1] ?? ''}:/${encode(drive[2] ?? '')}` };
  return { uri: encode(normalised), uriBaseId: SRCROOT };
}

/** The URL of a network finding, normalised; undefined when it is not a parseable absolute URL. */
function urlOf(location: FindingLocation): string | undefined {
  for (const candidate of [location.url, location.path]) {
    if (candidate === undefined || !/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(candidate)) continue;
    try {
      return new URL(candidate).href;
    } catch (error) {
      // A malformed URL from a probed server: fall back to reporting it as an opaque path.
      if (!(error instanceof TypeError)) throw error;
    }
  }
  return undefined;
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && Number.isInteger(value) && value >= 1 ? value : undefined;
}

function sarifLocation(location: FindingLocation): JsonObject | undefined {
  const url = urlOf(location);
  if (url === undefined && location.path === '') return undefined;
  const artifactLocation = url !== undefined ? { uri: url } : pathUri(location.path);
  const startLine = positive(location.line);
  const startColumn = startLine !== undefined ? positive(location.column) : undefined;
  const endLine = startLine !== undefined ? positive(location.endLine) : undefined;
  const region =
    startLine === undefined
      ? undefined
      : {
          startLine,
          ...(startColumn !== undefined && { startColumn }),
          ...(endLine !== undefined && endLine >= startLine && { endLine }),
        };
  return {
    physicalLocation: { artifactLocation, ...(region !== undefined && { region }) },
    ...(location.member !== undefined && { message: { text: `in ${location.member}` } }),
  };
}

function sarifResult(finding: Finding, ruleIndex: number): JsonObject {
  const location = sarifLocation(finding.location);
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: SARIF_LEVEL[finding.severity],
    message: { text: finding.message !== '' ? finding.message : finding.ruleId },
    ...(location !== undefined && { locations: [location] }),
    partialFingerprints: { [SARIF_FINGERPRINT_KEY]: finding.fingerprint },
    properties: {
      ...(finding.properties ?? {}),
      severity: finding.severity,
      source: finding.source,
      ...(finding.asset !== undefined && { asset: finding.asset }),
      ...(finding.evidence !== undefined && { evidence: finding.evidence }),
      ...(finding.remediation !== undefined && { remediation: finding.remediation }),
      ...(finding.controls !== undefined && finding.controls.length > 0 && { controls: [...finding.controls] }),
      ...(finding.location.member !== undefined && { member: finding.location.member }),
    },
  };
}

function unscannableNotification(item: Unscannable, scanner: string): JsonObject {
  const location = sarifLocation({ path: item.path });
  return {
    level: 'warning',
    message: { text: `${scanner}: not scanned: ${item.reason}` },
    descriptor: { id: 'warden/unscannable' },
    ...(location !== undefined && { locations: [location] }),
  };
}

interface RunInput {
  readonly category: string;
  readonly findings: readonly Finding[];
  readonly rules: readonly RuleDescriptor[];
  readonly notifications: readonly JsonObject[];
  readonly properties: JsonObject;
}

function sarifLog(run: RunInput, options: RenderOptions): Iterable<string> {
  const indexById = new Map(run.rules.map((rule, index) => [rule.id, index]));
  const results = new LazyList(run.findings.length, (i) => {
    const finding = run.findings[i] as Finding;
    return sarifResult(finding, indexById.get(finding.ruleId) ?? 0);
  });
  const semver = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(options.toolVersion);
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'warden',
            informationUri: WARDEN_INFORMATION_URI,
            version: options.toolVersion,
            ...(semver && { semanticVersion: options.toolVersion }),
            rules: run.rules.map(sarifRule),
          },
        },
        // GitHub code scanning keeps one analysis per category; the trailing slash marks it as one.
        automationDetails: { id: `${run.category}/` },
        invocations: [
          {
            executionSuccessful: true,
            ...(run.notifications.length > 0 && { toolExecutionNotifications: run.notifications }),
          },
        ],
        results,
        properties: run.properties,
      },
    ],
  };
  return jsonChunks(log);
}

export function renderScanSarif(doc: ScanDocument, options: RenderOptions): Iterable<string> {
  const view = scanView(doc);
  return sarifLog(
    {
      category: `warden/scan/${view.scanner}`,
      findings: view.findings,
      rules: completeRules(view.findings, doc.rules),
      notifications: view.unscannable.map((u) => unscannableNotification(u, view.scanner)),
      properties: { kind: 'scan', scanner: view.scanner, scanned: view.scanned, unscannable: view.unscannable.length },
    },
    options,
  );
}

export function renderAssessmentSarif(doc: AssessmentDocument, options: RenderOptions): Iterable<string> {
  const r = doc.result;
  const findings = assessmentFindings(r);
  const titles = controlTitles(r, doc.rules);
  // Failed controls are results whose rule is the control: describe those rules from the gaps.
  const controlRules: RuleDescriptor[] = [];
  for (const finding of findings) {
    const controlId = controlIdOf(finding.ruleId);
    if (controlId === undefined || controlRules.some((rule) => rule.id === finding.ruleId)) continue;
    if ((doc.rules ?? []).some((rule) => rule.id === finding.ruleId)) continue;
    const gap = r.gaps.find((g) => g.controlId === controlId);
    controlRules.push({
      id: finding.ruleId,
      title: titles.get(controlId) ?? controlId,
      severity: gap?.severity ?? finding.severity,
      ...(gap !== undefined && { remediation: gap.remediation }),
      controls: [controlId],
    });
  }
  const notifications: JsonObject[] = [];
  for (const run of r.scanners) {
    for (const u of run.unscannable) notifications.push(unscannableNotification(u, run.scanner));
    if (run.error !== undefined) {
      notifications.push({ level: 'error', message: { text: `${run.scanner}: ${run.error}` }, descriptor: { id: 'warden/scanner-error' } });
    }
  }
  return sarifLog(
    {
      category: `warden/assessment/${r.workspace.name.replace(/[^A-Za-z0-9._-]+/g, '-')}`,
      findings,
      rules: completeRules(findings, [...(doc.rules ?? []), ...controlRules], titles),
      notifications,
      properties: { kind: 'assessment', assessment: r.id, workspace: r.workspace.name, score: r.summary.score },
    },
    options,
  );
}
