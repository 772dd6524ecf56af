/**
 * The `table` format: what a person reads in a terminal. It leads with the verdict (score,
 * gaps by severity), then what to fix first, and leaves the long tail to the HTML/JSON reports.
 */
import { PILLAR_TITLES, QUESTIONS, SEVERITIES } from '../domain/index.js';
import type { AnswerVerdict, AssessmentResult, Severity } from '../domain/index.js';
import {
  TOP_GAPS,
  assessmentFindings,
  assetHasProblems,
  formatDuration,
  gapBlastLine,
  locationText,
  plural,
  roadmapLabel,
  scanView,
} from './report-model.js';
import type { ScanView } from './report-model.js';
import type { AssessmentDocument, RenderOptions, ScanDocument } from './report-types.js';
import { clipLine, createStyle, textBar } from './terminal-style.js';
import type { Style } from './terminal-style.js';
import { layoutTable } from './text-table.js';
import { padEnd, sanitizeTerminal, truncate, truncateStart } from './text-escape.js';

const DEFAULT_WIDTH = 100;
const MIN_WIDTH = 60;
const MAX_PROBLEM_ASSETS = 10;
/** Below this much room for the message, scan findings are stacked instead of tabulated. */
const STACK_BELOW_MESSAGE = 30;

const VERDICT_MARK: Readonly<Record<AnswerVerdict, string>> = { good: '✓', weak: '!', bad: '✗', unknown: '?' };

function widthOf(options: RenderOptions): number {
  const width = options.width ?? DEFAULT_WIDTH;
  return Math.max(MIN_WIDTH, Number.isFinite(width) ? Math.floor(width) : DEFAULT_WIDTH);
}

function severityCounts(counts: Readonly<Record<Severity, number>>, style: Style): string {
  return SEVERITIES.map((s) => (counts[s] > 0 ? style.severity(s, `${counts[s]} ${s}`) : style.dim(`0 ${s}`))).join(', ');
}

function heading(text: string, style: Style): string {
  return `\n${style.bold(text.toUpperCase())}`;
}

/** Renders the table format for an assessment. */
export function renderAssessmentTable(doc: AssessmentDocument, options: RenderOptions): string {
  const style = createStyle(options.color);
  const width = widthOf(options);
  const r = doc.result;
  const s = r.summary;
  const clean = (text: string): string => sanitizeTerminal(text);
  const lines: string[] = [];

  lines.push(style.bold(`Warden assessment · ${clean(r.workspace.name)}`));
  lines.push(style.dim(`run ${clean(r.id)} · ${clean(r.createdAt)} · ${r.workspace.sizeProfile} organisation (${r.workspace.headcount} people)`));
  lines.push('');
  const scorePaint = s.score >= 80 ? style.green : s.score >= 50 ? style.yellow : style.red;
  lines.push(`  Score      ${scorePaint(style.bold(`${s.score}/100`))}  ${scorePaint(textBar(s.score, 20))}`);
  lines.push(
    `  Controls   ${s.controlsEvaluated} evaluated: ${style.green(`${s.passed} passed`)}, ${style.red(`${s.failed} failed`)}, ` +
      `${style.yellow(`${s.partial} partial`)}, ${style.cyan(`${s.pending} pending`)}`,
  );
  lines.push(`  Gaps       ${severityCounts(s.gapsBySeverity, style)}`);
  lines.push(`  Assets     ${s.assets}`);

  lines.push(heading('Pillar scores', style));
  for (const p of r.pillars) {
    const paint = p.score >= 80 ? style.green : p.score >= 50 ? style.yellow : style.red;
    lines.push(
      `  ${padEnd(PILLAR_TITLES[p.pillar], 22)} ${paint(textBar(p.score, 20))} ${String(p.score).padStart(5)}  ` +
        style.dim(`${p.passed} passed, ${p.failed} failed, ${p.partial} partial, ${p.pending} pending`),
    );
  }

  const top = r.gaps.slice(0, TOP_GAPS);
  lines.push(heading(r.gaps.length > top.length ? `Riskiest gaps (top ${top.length} of ${r.gaps.length})` : 'Riskiest gaps', style));
  if (top.length === 0) lines.push(style.green('  No gaps: every applicable control passed.'));
  else {
    // Two lines per gap: what and where (with the blast radius), then why; the reason is the
    // longest text and gets the whole width instead of a squeezed column.
    const rankWidth = String(top.length).length;
    for (const g of top) {
      const head = `  ${String(g.rank).padStart(rankWidth)}  ${padEnd(g.severity.toUpperCase(), 8)}  `;
      const where = [g.asset ?? 'organisation', gapBlastLine(g.blastRadius)].filter((x) => x !== '').join(' · ');
      const what = truncate(`${g.controlId} ${clean(g.title)}`, width - head.length);
      const room = width - head.length - what.length - 1;
      const tail = room > 4 ? ` ${style.dim(truncate(`· ${clean(where)}`, room))}` : '';
      lines.push(style.severity(g.severity, head) + style.bold(what) + tail);
      lines.push(...wrap(clean(g.reason), width, ' '.repeat(head.length), ' '.repeat(head.length), 2));
    }
    if (r.gaps.length > top.length) {
      lines.push(style.dim(`  … and ${r.gaps.length - top.length} more (see --format html or json for every gap)`));
    }
  }

  const problems = r.assets.filter((a) => assetHasProblems(a, r)).sort((a, b) => b.risk - a.risk);
  if (problems.length > 0) {
    lines.push(heading(`Assets with problems (${problems.length} of ${r.assets.length})`, style));
    for (const asset of problems.slice(0, MAX_PROBLEM_ASSETS)) {
      const facts = [asset.kind, `owner ${asset.owner}`, asset.effectiveClassification ?? asset.classification, `risk ${asset.risk}`]
        .filter((x): x is string => x !== undefined)
        .join(' · ');
      lines.push(truncateAnsiFree(`  ${clean(asset.asset)}  ${clean(asset.name)}`, width, style.bold) + style.dim(truncate(`  (${clean(facts)})`, Math.max(0, width - 4 - clean(asset.asset).length - clean(asset.name).length))));
      for (const question of QUESTIONS) {
        const answer = asset.answers.find((a) => a.question === question);
        const verdict: AnswerVerdict = answer?.verdict ?? 'unknown';
        const text = answer?.answer ?? 'not answered';
        const prefix = `    ${VERDICT_MARK[verdict]} ${padEnd(question, 13)} ${padEnd(verdict, 8)}`;
        const [first = '', ...rest] = wrap(clean(text), width, prefix, ' '.repeat(prefix.length), 2);
        lines.push(style.verdict(verdict, prefix) + first.slice(prefix.length), ...rest);
      }
    }
    if (problems.length > MAX_PROBLEM_ASSETS) lines.push(style.dim(`  … and ${problems.length - MAX_PROBLEM_ASSETS} more assets with problems`));
  }

  lines.push(heading('Roadmap', style));
  for (const month of r.roadmap) {
    const pct = month.total === 0 ? 100 : (month.done / month.total) * 100;
    const open = month.items.filter((i) => !i.done).map((i) => i.controlId);
    lines.push(
      `  ${padEnd(roadmapLabel(month.month), 12)} ${style.green(textBar(pct, 20))} ${month.done}/${month.total} done` +
        (open.length > 0 ? style.dim(`  open: ${truncate(open.join(', '), Math.max(10, width - 60))}`) : ''),
    );
  }

  lines.push(...scannerRunLines(r, style, width));
  const findings = assessmentFindings(r);
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  lines.push(heading('Findings', style));
  lines.push(`  ${plural(findings.length, 'finding')}: ${severityCounts(counts, style)}`);
  if (findings.length > 0) lines.push(style.dim('  (listed in the json, markdown, sarif and html formats)'));
  return `${lines.map((line) => clipLine(line, width)).join('\n')}\n`;
}

function scannerRunLines(r: AssessmentResult, style: Style, width: number): string[] {
  if (r.scanners.length === 0) return [];
  const rows = r.scanners.map((run) => [
    run.scanner,
    run.asset ?? '',
    String(run.inputs.length),
    String(run.findings),
    String(run.unscannable.length),
    formatDuration(run.durationMs),
    run.error ?? run.unscannable.map((u) => `${u.path}: ${u.reason}`).join('; '),
  ]);
  return [
    heading('Scanner runs', style),
    ...layoutTable(
      [{ header: 'SCANNER' }, { header: 'ASSET', max: 24, min: 12 }, { header: 'INPUTS', align: 'right' }, { header: 'FINDINGS', align: 'right' }, { header: 'UNSCANNABLE', align: 'right' }, { header: 'TIME', align: 'right' }, { header: 'NOTES', flex: true }],
      rows,
      width,
      style,
      (row, col, text) => (col === 6 && r.scanners[row]?.error !== undefined ? style.red(text) : text),
    ),
  ];
}

/** Truncates plain text to `width` and then paints it, so colour codes are never cut. */
function truncateAnsiFree(text: string, width: number, paint: (t: string) => string): string {
  return paint(truncate(text, width));
}

/**
 * Word-wraps prose to `width` columns: `indent` before the first line, `hanging` before the
 * others, at most `maxLines` lines (the last one ends in an ellipsis when text was left out).
 */
function wrap(text: string, width: number, indent: string, hanging = indent, maxLines = Number.MAX_SAFE_INTEGER): string[] {
  const lines: string[] = [];
  let prefix = indent;
  let line = '';
  const words = text.split(' ');
  for (const [i, word] of words.entries()) {
    if (line !== '' && prefix.length + line.length + 1 + word.length > width) {
      if (lines.length + 1 === maxLines) {
        line = `${line} ${words.slice(i).join(' ')}`;
        break;
      }
      lines.push(prefix + line);
      prefix = hanging;
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(prefix + line);
  return lines.map((l) => truncate(l, width));
}

/** Narrow terminals: severity and location on one line, rule and message indented below. */
function stackedFindings(view: ScanView, width: number, style: Style): string[] {
  const lines: string[] = [];
  const indent = ' '.repeat(12);
  for (const f of view.findings) {
    const head = `  ${padEnd(f.severity.toUpperCase(), 8)}  `;
    lines.push(style.severity(f.severity, head) + truncateStart(sanitizeTerminal(locationText(f.location)), width - head.length));
    lines.push(indent + style.dim(truncate(sanitizeTerminal(f.ruleId), width - indent.length)));
    lines.push(indent + truncate(sanitizeTerminal(f.message), width - indent.length));
  }
  return lines;
}

/** Renders the table format for a scan. */
export function renderScanTable(doc: ScanDocument, options: RenderOptions): string {
  const style = createStyle(options.color);
  const width = widthOf(options);
  const view: ScanView = scanView(doc);
  const lines: string[] = [];
  lines.push(style.bold(`Warden scan · ${sanitizeTerminal(view.scanner)}`));
  lines.push(
    style.dim(
      truncate(`${plural(view.scanned, 'input')} scanned · ${plural(view.unscannable.length, 'unscannable input')} · ${formatDuration(view.durationMs)}`, width),
    ),
  );
  lines.push('');
  if (view.findings.length === 0) lines.push(style.green('  No findings.'));
  else {
    const rows = view.findings.map((f) => [f.severity.toUpperCase(), f.ruleId, locationText(f.location), f.message]);
    const natural = (i: number): number => Math.max(...rows.map((row) => sanitizeTerminal(row[i] ?? '').length));
    // A table while rule and location fit beside a readable message; stacked lines otherwise.
    if (2 + 8 + Math.min(natural(1), 36) + Math.min(natural(2), 64) + 6 + STACK_BELOW_MESSAGE <= width) {
      lines.push(
        ...layoutTable(
          [{ header: 'SEVERITY' }, { header: 'RULE', max: 36, min: 14 }, { header: 'LOCATION', max: 64, min: 20, cut: 'start' }, { header: 'MESSAGE', flex: true }],
          rows,
          width,
          style,
          (row, col, text) => (col === 0 ? style.severity(view.findings[row]?.severity ?? 'info', text) : text),
        ),
      );
    } else lines.push(...stackedFindings(view, width, style));
  }
  lines.push('');
  lines.push(`  ${plural(view.findings.length, 'finding')}: ${severityCounts(view.counts, style)}`);
  if (view.unscannable.length > 0) {
    lines.push(heading('Not scanned', style));
    lines.push(...wrap('These inputs could not be examined; they are not known to be clean.', width, '  ').map(style.dim));
    for (const u of view.unscannable) {
      const path = truncateStart(sanitizeTerminal(u.path), width - 4);
      const [first = '', ...rest] = wrap(`${path}: ${sanitizeTerminal(u.reason)}`, width, '  ', '    ');
      lines.push(style.yellow(first.slice(0, path.length + 2)) + first.slice(path.length + 2), ...rest);
    }
  }
  if (view.failOn !== undefined) {
    lines.push('');
    lines.push(
      view.failing > 0
        ? style.red(`  ${plural(view.failing, 'finding')} at or above --fail-on ${view.failOn}: failing.`)
        : style.green(`  Nothing at or above --fail-on ${view.failOn}.`),
    );
  }
  return `${lines.map((line) => clipLine(line, width)).join('\n')}\n`;
}
