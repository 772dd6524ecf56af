// Realistic assessment and scan documents for the report tests, plus hostile variants whose
// strings try to break out of every output format.
import type {
  AssessmentResult,
  AssetAssessment,
  ControlResult,
  Finding,
  Gap,
  QuestionAnswer,
  RuleDescriptor,
  ScanResult,
} from '../../src/domain/index.js';
import { createFinding } from '../../src/scanners/index.js';
import type { AssessmentDocument, ScanDocument } from '../../src/reports/index.js';

export const HOSTILE = {
  script: '<script>alert("owned")</script>',
  image: '<img src="https://evil.example/pixel.png" onerror="alert(1)">',
  pipes: 'a | b | c',
  backticks: '```rm -rf /``` and `x`',
  ansi: '\u001b[2J\u001b[31mfake all clear\u001b[0m',
  mention: '@octocat please look',
} as const;

const workspaceRef = (asset: string, field: string): string => `warden.yaml#assets[${asset}].controls.${field}`;

function answers(asset: string, verdicts: Record<QuestionAnswer['question'], QuestionAnswer['verdict']>, texts: Partial<Record<QuestionAnswer['question'], string>> = {}): QuestionAnswer[] {
  return (Object.keys(verdicts) as QuestionAnswer['question'][]).map((question) => ({
    question,
    verdict: verdicts[question],
    answer: texts[question] ?? `${question}: ${verdicts[question]}`,
    evidence: [{ kind: 'workspace', summary: `${question} declared`, ref: workspaceRef(asset, question) }],
  }));
}

function asset(id: string, name: string, kind: AssetAssessment['kind'], risk: number, verdicts: Record<QuestionAnswer['question'], QuestionAnswer['verdict']>, texts: Partial<Record<QuestionAnswer['question'], string>> = {}): AssetAssessment {
  return {
    asset: id,
    name,
    kind,
    owner: 'li',
    classification: 'confidential',
    effectiveClassification: 'restricted',
    answers: answers(id, verdicts, texts),
    blastRadius: {
      dataSources: [`${id}-source`],
      dataSourceCount: 1,
      clients: ['mercy-health'],
      records: 1_200_000,
      recordsLowerBound: false,
      highestClassification: 'restricted',
      dataCategories: ['phi', 'pii'],
      downstream: [],
      downstreamCount: 0,
      downstreamLowerBound: false,
      notifications: [
        { regime: 'hipaa', audience: 'the covered entity (client)', deadlineHours: 1440, basis: 'HIPAA Breach Notification Rule', clients: ['mercy-health'] },
      ],
    },
    risk,
  };
}

const GAP_CONTROLS: ReadonlyArray<[string, string, Gap['pillar'], Gap['severity']]> = [
  ['WD-INFRA-04', 'Development environment security', 'infrastructure', 'critical'],
  ['WD-DATA-03', 'Encryption at rest and in transit', 'data', 'critical'],
  ['WD-DATA-02', 'Data access control', 'data', 'high'],
  ['WD-DATA-04', 'Client isolation', 'data', 'high'],
  ['WD-MODEL-01', 'Model access', 'models', 'high'],
  ['WD-INFRA-05', 'Secrets management', 'infrastructure', 'medium'],
  ['WD-COMP-02', 'Audit readiness and access logging', 'compliance', 'medium'],
  ['WD-DATA-01', 'Data classification', 'data', 'medium'],
  ['WD-PEOPLE-02', 'Security training gates access', 'people', 'medium'],
  ['WD-DATA-05', 'Data lifecycle and retention', 'data', 'low'],
  ['WD-MODEL-04', 'Model supply chain', 'models', 'low'],
  ['WD-INFRA-01', 'Hardened compute environments', 'infrastructure', 'low'],
];

/** A mid-sized organisation with 12 gaps, 4 assets, 2 scanner runs and mixed findings. */
export function assessmentResult(overrides: { notebookName?: string; reason?: string; scannerMessage?: string } = {}): AssessmentResult {
  const assets = [
    asset('research-notebooks', overrides.notebookName ?? 'Research JupyterLab', 'notebook-server', 1082,
      { access: 'bad', encryption: 'bad', logging: 'bad', hardening: 'bad', 'blast-radius': 'bad' },
      { access: '4 people and anyone on the internet: no authentication', encryption: 'At rest: yes; in transit: NO' }),
    asset('claims-lake', 'Claims data lake', 'storage', 640,
      { access: 'weak', encryption: 'good', logging: 'good', hardening: 'unknown', 'blast-radius': 'bad' }),
    asset('fraud-model', 'Fraud model', 'model', 120,
      { access: 'good', encryption: 'good', logging: 'unknown', hardening: 'good', 'blast-radius': 'weak' }),
    asset('public-docs', 'Public documentation', 'dataset', 0,
      { access: 'good', encryption: 'good', logging: 'good', hardening: 'good', 'blast-radius': 'good' }),
  ];
  const gapAssets = ['research-notebooks', 'claims-lake', 'fraud-model', undefined];
  const gaps: Gap[] = GAP_CONTROLS.map(([controlId, title, pillar, severity], i) => ({
    rank: i + 1,
    controlId,
    title,
    pillar,
    ...(gapAssets[i % 4] !== undefined && { asset: gapAssets[i % 4] }),
    severity,
    risk: 400 - i * 30,
    reason: i === 0 && overrides.reason !== undefined ? overrides.reason : `${title} is not in place`,
    remediation: `Put ${title.toLowerCase()} in place.`,
    roadmapMonth: i < 5 ? '1' : i < 8 ? '2' : i < 10 ? '3' : '4-6',
    blastRadius: { clients: ['mercy-health'], records: 1_200_000 },
  }));
  const controls: ControlResult[] = [
    ...gaps.map((g, i): ControlResult => ({
      controlId: g.controlId,
      ...(g.asset !== undefined && { asset: g.asset }),
      status: i % 3 === 2 ? 'partial' : 'fail',
      reason: g.reason,
      evidence: [{ kind: 'workspace', summary: `${g.title} declared`, ref: 'warden.yaml' }],
      severity: g.severity,
    })),
    { controlId: 'WD-DATA-03', asset: 'public-docs', status: 'pass', reason: 'encrypted with a customer-managed key', evidence: [] },
    { controlId: 'WD-PEOPLE-04', status: 'needs-attestation', reason: 'no incident response attestation', evidence: [] },
    { controlId: 'WD-MODEL-02', asset: 'fraud-model', status: 'needs-evidence', reason: 'no signature evidence', evidence: [] },
    { controlId: 'WD-COMP-01', status: 'not-applicable', reason: 'no regulated data', evidence: [] },
  ];
  // The engine's own control findings (src/engine/assessment-runner.ts): all but the last gap's
  // control, to exercise the reports' fallback for a failed control without a finding.
  const controlFindings: Finding[] = controls
    .filter((c) => (c.status === 'fail' || c.status === 'partial') && c.controlId !== 'WD-INFRA-01')
    .map((c) =>
      createFinding({
        ruleId: `control/${c.controlId}`,
        severity: c.severity ?? 'medium',
        message: `${c.controlId} (${c.asset ?? 'organisation'}): ${c.reason}`,
        location: { path: 'warden.yaml', line: 40 },
        source: 'assessment',
        ...(c.asset !== undefined && { asset: c.asset }),
        remediation: 'Fix the control.',
        controls: [c.controlId],
        properties: { status: c.status },
        key: `${c.controlId}|${c.asset ?? ''}`,
      }),
    );
  const scanFindings = scanResults({ message: overrides.scannerMessage }).flatMap((r) => r.findings);
  return {
    schemaVersion: 1,
    id: 'run-2026-11-20-0001',
    createdAt: '2026-11-20T14:02:11.000Z',
    workspace: { name: 'Northwind AI', dir: '/srv/northwind', digest: 'a'.repeat(64), sizeProfile: 'mid', headcount: 22 },
    summary: {
      assets: assets.length,
      controlsEvaluated: controls.length,
      passed: 1,
      failed: 8,
      partial: 4,
      pending: 2,
      gapsBySeverity: { critical: 2, high: 3, medium: 4, low: 3, info: 0 },
      score: 63.1,
    },
    pillars: [
      { pillar: 'data', score: 71.7, passed: 29, failed: 9, partial: 8, pending: 0 },
      { pillar: 'models', score: 66.7, passed: 8, failed: 1, partial: 0, pending: 3 },
      { pillar: 'infrastructure', score: 37.5, passed: 5, failed: 1, partial: 8, pending: 10 },
      { pillar: 'people', score: 50, passed: 2, failed: 1, partial: 0, pending: 1 },
      { pillar: 'compliance', score: 80.8, passed: 10, failed: 2, partial: 1, pending: 0 },
    ],
    assets,
    controls,
    gaps,
    roadmap: [
      { month: '1', items: [{ controlId: 'WD-DATA-03', title: 'Encryption at rest and in transit', done: false, open: 3, total: 13 }, { controlId: 'WD-INFRA-04', title: 'Development environment security', done: false, open: 1, total: 2 }, { controlId: 'WD-PEOPLE-01', title: 'Security roles and ownership', done: true, open: 0, total: 1 }], done: 1, total: 3 },
      { month: '2', items: [{ controlId: 'WD-MODEL-01', title: 'Model access', done: true, open: 0, total: 3 }], done: 1, total: 1 },
      { month: '3', items: [{ controlId: 'WD-DATA-05', title: 'Data lifecycle and retention', done: false, open: 2, total: 4 }], done: 0, total: 1 },
      { month: '4-6', items: [], done: 0, total: 0 },
    ],
    scanners: [
      { scanner: 'secrets', asset: 'research-notebooks', inputs: ['repos/research'], findings: 2, unscannable: [{ path: 'repos/research/big.bin', reason: 'larger than 64 MiB' }], durationMs: 412 },
      { scanner: 'models', asset: 'fraud-model', inputs: ['models/fraud.pkl'], findings: 0, unscannable: [], error: 'scanner crashed: out of memory', durationMs: 1500 },
    ],
    findings: [...controlFindings, ...scanFindings],
  };
}

export const SECRETS_RULES: readonly RuleDescriptor[] = [
  { id: 'secrets/aws-access-key', title: 'AWS access key', severity: 'critical', description: 'An AWS access key id and secret.', remediation: 'Revoke the key and move it to a secret manager.', controls: ['WD-INFRA-05'] },
  { id: 'secrets/generic-token', title: 'Generic API token', severity: 'medium', remediation: 'Rotate the token.' },
  { id: 'secrets/notebook-output', title: 'Secret in notebook output', severity: 'high', controls: ['WD-INFRA-05', 'WD-INFRA-04'] },
  { id: 'secrets/unused-rule', title: 'A rule with no finding', severity: 'low' },
];

/** Two targets scanned by the secrets scanner: findings with and without lines, a URL, a member. */
export function scanResults(overrides: { message?: string | undefined; path?: string } = {}): ScanResult[] {
  const first: ScanResult = {
    scanner: 'secrets',
    findings: [
      createFinding({ ruleId: 'secrets/aws-access-key', severity: 'critical', message: overrides.message ?? 'AWS access key AKIA…WXYZ', location: { path: overrides.path ?? 'repos/research/config/settings.py', line: 12, column: 9 }, source: 'secrets', asset: 'research-notebooks', evidence: 'aws_key = "AKIA************WXYZ"', remediation: 'Revoke the key.', controls: ['WD-INFRA-05'], key: 'h1' }),
      createFinding({ ruleId: 'secrets/notebook-output', severity: 'high', message: 'Token printed in a cell output', location: { path: 'repos/research/notebooks/explore data.ipynb', member: 'cell 3', line: 2 }, source: 'secrets', key: 'h2' }),
      createFinding({ ruleId: 'secrets/generic-token', severity: 'medium', message: 'Token in a README', location: { path: 'README.md' }, source: 'secrets', key: 'h3' }),
    ],
    scanned: 41,
    unscannable: [{ path: 'repos/research/big.bin', reason: 'larger than 64 MiB' }],
    stats: { bytesRead: 1_000_000, filesSkipped: 3 },
    startedAt: '2026-11-20T14:02:12.000Z',
    durationMs: 300,
  };
  const second: ScanResult = {
    scanner: 'secrets',
    findings: [
      createFinding({ ruleId: 'secrets/generic-token', severity: 'low', message: 'Token in a server banner', location: { path: 'http://127.0.0.1:8888/api', url: 'http://127.0.0.1:8888/api' }, source: 'secrets', key: 'h4' }),
      createFinding({ ruleId: 'secrets/undescribed', severity: 'info', message: 'A rule the scanner did not describe', location: { path: 'notes.txt', line: 0 }, source: 'secrets', key: 'h5' }),
    ],
    scanned: 2,
    unscannable: [{ path: 'repos/broken.zip', reason: 'corrupt zip central directory' }],
    stats: { bytesRead: 500, filesSkipped: 1 },
    startedAt: '2026-11-20T14:02:10.000Z',
    durationMs: 120,
  };
  return [first, second];
}

export function scanDocument(overrides: Parameters<typeof scanResults>[0] = {}, failOn?: ScanDocument['failOn']): ScanDocument {
  return { kind: 'scan', scanner: 'secrets', results: scanResults(overrides), rules: SECRETS_RULES, ...(failOn !== undefined && { failOn }) };
}

export function assessmentDocument(overrides: Parameters<typeof assessmentResult>[0] = {}): AssessmentDocument {
  return { kind: 'assessment', result: assessmentResult(overrides), rules: SECRETS_RULES };
}

/** Every hostile string at once, in the places an attacker controls. */
export function hostileAssessment(): AssessmentDocument {
  const all = Object.values(HOSTILE).join(' ');
  return assessmentDocument({ notebookName: HOSTILE.script, reason: all, scannerMessage: all });
}

export function hostileScan(): ScanDocument {
  const all = Object.values(HOSTILE).join(' ');
  return scanDocument({ message: all, path: `src/${HOSTILE.pipes}${HOSTILE.script}.py` });
}

export const OPTIONS = { color: false, toolVersion: '0.1.0', width: 100 } as const;
