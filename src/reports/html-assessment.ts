/**
 * The assessment page of the HTML report: summary with charts, riskiest gaps with their blast
 * radius, the five answers per asset, controls by pillar, roadmap, scanner runs and findings.
 * Every string from the result is escaped with `h`; see html-page.ts for the threat model.
 */
import { PILLAR_TITLES, QUESTIONS, QUESTION_TEXT, countBySeverity } from '../domain/index.js';
import type { AnswerVerdict, AssessmentResult, AssetAssessment, BlastRadius, EvidenceRef, Gap } from '../domain/index.js';
import { horizontalBars, progressBars, scoreClass, scoreRing } from './html-charts.js';
import { badge, findingsTable, htmlPage, severityBadge, severityChart, tableWrap } from './html-page.js';
import {
  assessmentFindings,
  assetHasProblems,
  controlTitles,
  controlsByPillar,
  formatCount,
  formatDuration,
  formatRecords,
  plural,
  roadmapLabel,
} from './report-model.js';
import type { AssessmentDocument, RenderOptions } from './report-types.js';
import { escapeHtml as h } from './text-escape.js';

function evidenceList(evidence: readonly EvidenceRef[]): string {
  if (evidence.length === 0) return '';
  const items = evidence.map(
    (e) => `<li><span class="mono">${h(e.kind)}</span>: ${h(e.summary)}${e.ref !== undefined ? ` <span class="mono">(${h(e.ref)})</span>` : ''}</li>`,
  );
  return `<ul class="evidence">${items.join('')}</ul>`;
}

function summarySection(r: AssessmentResult): string {
  const s = r.summary;
  const pillars = horizontalBars(
    'Score by pillar',
    r.pillars.map((p) => ({ label: PILLAR_TITLES[p.pillar], value: p.score, fill: `f-${scoreClass(p.score)}`, text: `${p.score}` })),
    100,
    150,
  );
  return [
    '<section id="summary"><div class="cards">',
    `<div class="card"><h3>Overall</h3><div class="score">${scoreRing(s.score)}<dl class="kv">` +
      `<dt>Assets</dt><dd>${s.assets}</dd><dt>Controls evaluated</dt><dd>${s.controlsEvaluated}</dd>` +
      `<dt>Passed</dt><dd>${s.passed}</dd><dt>Failed</dt><dd>${s.failed}</dd><dt>Partial</dt><dd>${s.partial}</dd>` +
      `<dt>Pending</dt><dd>${s.pending}</dd></dl></div></div>`,
    `<div class="card"><h3>Gaps by severity</h3>${severityChart('Gaps by severity', s.gapsBySeverity)}</div>`,
    `<div class="card"><h3>Score by pillar</h3>${pillars}</div>`,
    '</div></section>',
  ].join('\n');
}

function notificationItems(blast: BlastRadius): string {
  return blast.notifications
    .map(
      (n) =>
        `<li>Notify ${h(n.audience)} within <b>${h(formatHours(n.deadlineHours))}</b> (${h(n.regime)}: ${h(n.basis)})` +
        `${n.clients.length > 0 ? `; clients ${h(n.clients.join(', '))}` : ''}</li>`,
    )
    .join('');
}

function gapRow(g: Gap, assets: ReadonlyMap<string, AssetAssessment>): string {
  const asset = g.asset !== undefined ? assets.get(g.asset) : undefined;
  const blast: string[] = [];
  if (g.blastRadius !== undefined) {
    blast.push(`${h(plural(g.blastRadius.clients.length, 'client'))}, ${h(formatRecords(g.blastRadius.records, false))}`);
    if (g.blastRadius.clients.length > 0) blast.push(`<div class="small muted">${h(g.blastRadius.clients.join(', '))}</div>`);
  }
  if (asset?.blastRadius.highestClassification !== undefined) blast.push(`<div class="small">${h(asset.blastRadius.highestClassification)} data</div>`);
  if (asset !== undefined && asset.blastRadius.notifications.length > 0) {
    // Compact here (deadline and regime); the asset card below has audiences and legal basis.
    const deadlines = asset.blastRadius.notifications.map((n) => `${formatHours(n.deadlineHours)} (${n.regime})`);
    blast.push(`<div class="small">Notify within ${h(deadlines.join(', '))}</div>`);
  }
  return (
    `<tr><td class="num">${g.rank}</td><td>${severityBadge(g.severity)}<div class="small muted">risk ${h(String(g.risk))}</div></td>` +
    `<td><code>${h(g.controlId)}</code><div><b>${h(g.title)}</b></div><div class="small muted">${h(PILLAR_TITLES[g.pillar])} · month ${h(g.roadmapMonth)}</div></td>` +
    `<td>${g.asset !== undefined ? `<code>${h(g.asset)}</code>${asset !== undefined ? `<div class="small">${h(asset.name)}</div>` : ''}` : '<span class="muted">organisation</span>'}</td>` +
    `<td>${h(g.reason)}${g.category !== undefined ? `<div class="small muted">${h(g.category)}</div>` : ''}<div class="fix"><b>Fix:</b> ${h(g.remediation)}</div></td>` +
    `<td class="small">${blast.join('')}</td></tr>`
  );
}

/** Gaps shown before the rest is folded into a <details> (which opens without script). */
const HTML_TOP_GAPS = 15;

function gapsSection(r: AssessmentResult): string {
  const assets = new Map(r.assets.map((a) => [a.asset, a]));
  const head = ['#', 'Severity', 'Control', 'Asset', 'Gap and fix', 'Blast radius'];
  if (r.gaps.length === 0) {
    return '<section id="gaps"><h2>Riskiest gaps</h2><div class="table-wrap"><div class="empty">No gaps: every applicable control passed.</div></div></section>';
  }
  const top = tableWrap(head, r.gaps.slice(0, HTML_TOP_GAPS).map((g) => gapRow(g, assets)), 'gaps-table', [0]);
  const rest = r.gaps.slice(HTML_TOP_GAPS);
  const more =
    rest.length === 0
      ? ''
      : `<details class="group"><summary><h3>${h(plural(rest.length, 'more gap'))}</h3></summary>` +
        `${tableWrap(head, rest.map((g) => gapRow(g, assets)), 'gaps-more-table', [0])}</details>`;
  return `<section id="gaps"><h2>Riskiest gaps (${r.gaps.length})</h2>${top}${more}</section>`;
}

/** 48 → "48 h", 720 → "30 days": deadlines as people say them. */
function formatHours(hours: number): string {
  if (hours < 72 || hours % 24 !== 0) return `${hours} h`;
  return `${hours / 24} days`;
}

/** A labelled list of asset ids that the engine capped: says how many were left out. */
function idList(label: string, ids: readonly string[], count: number): string {
  if (ids.length === 0) return `<li>${h(label)}</li>`;
  const more = count > ids.length ? ` … and ${count - ids.length} more` : '';
  return `<li>${h(label)}: <span class="mono">${h(ids.join(', '))}</span>${h(more)}</li>`;
}

function blastBox(b: BlastRadius): string {
  const lines = [
    `<li>${h(plural(b.clients.length, 'client'))}${b.clients.length > 0 ? `: ${h(b.clients.join(', '))}` : ''}</li>`,
    `<li>${h(formatRecords(b.records, b.recordsLowerBound))}</li>`,
    idList(plural(b.dataSourceCount, 'data source'), b.dataSources, b.dataSourceCount),
  ];
  if (b.downstreamCount > 0) {
    const count = `${b.downstreamLowerBound ? 'at least ' : ''}${b.downstreamCount}`;
    lines.push(idList(`${count} downstream (derived from or trained on it)`, b.downstream, b.downstreamCount));
  }
  if (b.highestClassification !== undefined) lines.push(`<li>Highest classification: ${h(b.highestClassification)}</li>`);
  if (b.dataCategories.length > 0) lines.push(`<li>Data: ${h(b.dataCategories.join(', '))}</li>`);
  const notify = b.notifications.length > 0 ? `<h4>Notification duties</h4><ul>${notificationItems(b)}</ul>` : '';
  return `<div class="blast"><h4>If compromised</h4><ul>${lines.join('')}</ul>${notify}</div>`;
}

function assetCard(a: AssetAssessment, open: boolean): string {
  const answers = QUESTIONS.map((q) => {
    const answer = a.answers.find((x) => x.question === q);
    const verdict: AnswerVerdict = answer?.verdict ?? 'unknown';
    return (
      `<li><span class="q">${h(QUESTION_TEXT[q])}</span><span>${badge(verdict)}</span>` +
      `<span>${h(answer?.answer ?? 'Not answered.')}${evidenceList(answer?.evidence ?? [])}</span></li>`
    );
  });
  const counts = { good: 0, weak: 0, bad: 0, unknown: 0 };
  for (const q of QUESTIONS) counts[a.answers.find((x) => x.question === q)?.verdict ?? 'unknown'] += 1;
  const tally = (['bad', 'weak', 'unknown'] as const).filter((v) => counts[v] > 0).map((v) => badge(v, `${counts[v]} ${v}`));
  const classification = a.effectiveClassification ?? a.classification;
  return (
    `<details class="asset"${open ? ' open' : ''}><summary><h3>${h(a.name)}</h3><code>${h(a.asset)}</code>` +
    `<span class="small muted">${h(a.kind)} · owner ${h(a.owner)}${classification !== undefined ? ` · ${h(classification)}` : ''} · risk ${h(String(a.risk))}</span>` +
    `${tally.join(' ')}</summary>` +
    `<div class="asset-body"><ul class="qa">${answers.join('')}</ul>${blastBox(a.blastRadius)}</div></details>`
  );
}

function assetsSection(r: AssessmentResult): string {
  const sorted = [...r.assets].sort((x, y) => y.risk - x.risk || x.asset.localeCompare(y.asset));
  const cards = sorted.map((a) => assetCard(a, assetHasProblems(a, r)));
  return `<section id="assets"><h2>Assets: the five questions (${r.assets.length})</h2>${cards.join('\n') || '<p class="muted">No assets.</p>'}</section>`;
}

function controlsSection(r: AssessmentResult, titles: ReadonlyMap<string, string>): string {
  const groups = controlsByPillar(r).map(({ pillar, controls }) => {
    const failing = controls.filter((c) => c.status === 'fail' || c.status === 'partial').length;
    const rows = controls.map(
      (c) =>
        `<tr><td><code>${h(c.controlId)}</code><div class="small">${h(titles.get(c.controlId) ?? '')}</div></td>` +
        `<td>${c.asset !== undefined ? `<code>${h(c.asset)}</code>` : '<span class="muted">organisation</span>'}</td>` +
        `<td>${badge(c.status)}${c.severity !== undefined && (c.status === 'fail' || c.status === 'partial') ? ` ${severityBadge(c.severity)}` : ''}</td>` +
        `<td>${h(c.reason)}${evidenceList(c.evidence)}</td></tr>`,
    );
    const name = pillar === 'other' ? 'Other' : PILLAR_TITLES[pillar];
    return (
      `<details class="group"${failing > 0 ? ' open' : ''}><summary><h3>${h(name)}</h3>` +
      `<span class="small muted">${h(plural(controls.length, 'evaluation'))}, ${h(plural(failing, 'gap'))}</span></summary>` +
      tableWrap(['Control', 'Asset', 'Status', 'Reason and evidence'], rows) +
      '</details>'
    );
  });
  return `<section id="controls"><h2>Controls by pillar</h2>${groups.join('\n') || '<p class="muted">No controls evaluated.</p>'}</section>`;
}

function roadmapSection(r: AssessmentResult): string {
  const chart = progressBars(
    'Roadmap progress per month',
    r.roadmap.map((m) => ({ label: roadmapLabel(m.month), done: m.done, total: m.total })),
  );
  const months = r.roadmap.map((m) => {
    const items = m.items.map(
      (i) =>
        `<li>${i.done ? '<span class="done">✓</span>' : '<span class="open">○</span>'} <code>${h(i.controlId)}</code> ${h(i.title)}` +
        `${i.done ? '' : ` <span class="small muted">${i.open} of ${i.total} open</span>`}</li>`,
    );
    return `<div class="card"><h3>${h(roadmapLabel(m.month))} · ${m.done}/${m.total} done</h3><ul>${items.join('') || '<li class="muted">Nothing planned.</li>'}</ul></div>`;
  });
  const done = r.roadmap.reduce((sum, m) => sum + m.done, 0);
  const total = r.roadmap.reduce((sum, m) => sum + m.total, 0);
  const next = r.roadmap.find((m) => m.done < m.total);
  const nextOpen = next?.items.filter((i) => !i.done) ?? [];
  const summary =
    `<div class="card"><h3>Progress</h3><p><b>${done} of ${total}</b> roadmap items done.</p>` +
    (next === undefined
      ? '<p>Every planned item is done.</p>'
      : `<p>Next: <b>${h(roadmapLabel(next.month))}</b>, ${h(plural(nextOpen.length, 'open item'))}: ` +
        `${nextOpen.map((i) => `<code>${h(i.controlId)}</code> ${h(i.title)}`).join(', ')}.</p>`) +
    '</div>';
  return (
    `<section id="roadmap"><h2>Roadmap</h2><div class="cards"><div class="card"><h3>Per month</h3>${chart}</div>${summary}</div>` +
    `<div class="roadmap">${months.join('')}</div></section>`
  );
}

function scannersSection(r: AssessmentResult): string {
  if (r.scanners.length === 0) return '<section id="scanners"><h2>Scanner runs</h2><p class="muted">No scanner ran.</p></section>';
  const rows = r.scanners.map((run) => {
    const notes = [
      run.error !== undefined ? `<div class="warn">Error: ${h(run.error)}</div>` : '',
      ...run.unscannable.map((u) => `<div class="small">Not scanned: <code>${h(u.path)}</code>: ${h(u.reason)}</div>`),
    ].join('');
    return (
      `<tr><td><code>${h(run.scanner)}</code></td><td>${run.asset !== undefined ? `<code>${h(run.asset)}</code>` : ''}</td>` +
      `<td class="small mono">${h(run.inputs.join(', '))}</td><td class="num">${run.findings}</td>` +
      `<td class="num">${run.unscannable.length}</td><td class="num">${h(formatDuration(run.durationMs))}</td><td>${notes}</td></tr>`
    );
  });
  return `<section id="scanners"><h2>Scanner runs (${r.scanners.length})</h2>${tableWrap(['Scanner', 'Asset', 'Inputs', 'Findings', 'Unscannable', 'Time', 'Notes'], rows, undefined, [3, 4, 5])}</section>`;
}

export function renderAssessmentHtml(doc: AssessmentDocument, options: RenderOptions): string {
  const r = doc.result;
  const findings = assessmentFindings(r);
  const counts = countBySeverity(findings);
  const title = `Warden assessment: ${r.workspace.name}`;
  const body = [
    `<header class="top"><h1>${h(title)}</h1>`,
    `<div class="meta">Run <code>${h(r.id)}</code> · ${h(r.createdAt)} · ${h(r.workspace.sizeProfile)} organisation, ` +
      `${h(formatCount(r.workspace.headcount))} people · workspace digest <code>${h(r.workspace.digest.slice(0, 16))}</code></div>`,
    '<nav class="toc"><a href="#summary">Summary</a><a href="#gaps">Riskiest gaps</a><a href="#assets">Assets</a>' +
      '<a href="#controls">Controls</a><a href="#roadmap">Roadmap</a><a href="#scanners">Scanner runs</a><a href="#findings">Findings</a></nav></header>',
    summarySection(r),
    gapsSection(r),
    assetsSection(r),
    controlsSection(r, controlTitles(r, doc.rules)),
    roadmapSection(r),
    scannersSection(r),
    `<section id="findings"><h2>Findings (${findings.length})</h2>` +
      `<p class="small muted">${h(['critical', 'high', 'medium', 'low', 'info'].map((s) => `${counts[s as keyof typeof counts]} ${s}`).join(' · '))}</p>` +
      `${findingsTable(findings)}</section>`,
  ].join('\n');
  return htmlPage(title, body, options);
}
