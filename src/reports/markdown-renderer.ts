/**
 * The `markdown` format: GitHub-flavoured Markdown with the content of the table format, for pull
 * request comments, job summaries and wikis. Every untrusted string goes through escapeMarkdown.
 */
import { PILLAR_TITLES, QUESTIONS, QUESTION_TEXT, SEVERITIES, countBySeverity } from '../domain/index.js';
import type { AnswerVerdict, Finding, Gap, Severity } from '../domain/index.js';
import {
  TOP_GAPS,
  assessmentFindings,
  assetHasProblems,
  blastRadiusLine,
  formatDuration,
  gapBlastLine,
  locationText,
  plural,
  roadmapLabel,
  scanView,
} from './report-model.js';
import type { AssessmentDocument, RenderOptions, ScanDocument } from './report-types.js';
import { escapeMarkdown as md } from './text-escape.js';

const VERDICT_MARK: Readonly<Record<AnswerVerdict, string>> = { good: '✅', weak: '⚠️', bad: '❌', unknown: '❔' };

function table(headers: readonly string[], rows: readonly (readonly string[])[], align: readonly ('l' | 'r')[] = []): string[] {
  const sep = headers.map((_, i) => (align[i] === 'r' ? '---:' : '---'));
  return [`| ${headers.join(' | ')} |`, `| ${sep.join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

function severityLine(counts: Readonly<Record<Severity, number>>): string {
  return SEVERITIES.map((s) => `${counts[s]} ${s}`).join(' · ');
}

function sev(severity: Severity): string {
  return severity === 'critical' || severity === 'high' ? `**${severity.toUpperCase()}**` : severity.toUpperCase();
}

function gapRows(gaps: readonly Gap[]): string[][] {
  return gaps.map((g) => [
    String(g.rank),
    sev(g.severity),
    md(g.controlId),
    md(g.asset ?? '(organisation)'),
    `**${md(g.title)}**: ${md(g.reason)}`,
    md(gapBlastLine(g.blastRadius)),
  ]);
}

function findingRows(findings: readonly Finding[]): string[][] {
  return findings.map((f) => [sev(f.severity), md(f.ruleId), md(locationText(f.location)), md(f.message)]);
}

const FINDING_HEADERS = ['Severity', 'Rule', 'Location', 'Message'];

export function renderAssessmentMarkdown(doc: AssessmentDocument, _options: RenderOptions): string {
  const r = doc.result;
  const s = r.summary;
  const out: string[] = [];
  out.push(`# Warden assessment: ${md(r.workspace.name)}`, '');
  out.push(`Run ${md(r.id)} · ${md(r.createdAt)} · ${r.workspace.sizeProfile} organisation, ${r.workspace.headcount} people`, '');
  out.push(
    ...table(
      ['Score', 'Controls evaluated', 'Passed', 'Failed', 'Partial', 'Pending', 'Assets'],
      [[`**${s.score}/100**`, String(s.controlsEvaluated), String(s.passed), String(s.failed), String(s.partial), String(s.pending), String(s.assets)]],
      ['r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
  );
  out.push(`**Gaps:** ${severityLine(s.gapsBySeverity)}`, '');

  out.push('## Pillar scores', '');
  out.push(
    ...table(
      ['Pillar', 'Score', 'Passed', 'Failed', 'Partial', 'Pending'],
      r.pillars.map((p) => [PILLAR_TITLES[p.pillar], `${p.score}`, `${p.passed}`, `${p.failed}`, `${p.partial}`, `${p.pending}`]),
      ['l', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
  );

  out.push('## Riskiest gaps', '');
  const gapHeaders = ['#', 'Severity', 'Control', 'Asset', 'Gap', 'Blast radius'];
  if (r.gaps.length === 0) out.push('No gaps: every applicable control passed.', '');
  else {
    out.push(...table(gapHeaders, gapRows(r.gaps.slice(0, TOP_GAPS)), ['r']), '');
    const rest = r.gaps.slice(TOP_GAPS);
    if (rest.length > 0) {
      out.push(`<details><summary>… and ${rest.length} more</summary>`, '', ...table(gapHeaders, gapRows(rest), ['r']), '', '</details>', '');
    }
  }

  const problems = r.assets.filter((a) => assetHasProblems(a, r)).sort((a, b) => b.risk - a.risk);
  if (problems.length > 0) {
    out.push(`## Assets with problems (${problems.length} of ${r.assets.length})`, '');
    for (const asset of problems) {
      out.push(`### ${md(asset.asset)}: ${md(asset.name)}`, '');
      const facts = [asset.kind, `owner ${asset.owner}`, asset.effectiveClassification ?? asset.classification, `risk ${asset.risk}`];
      out.push(facts.filter((x): x is string => x !== undefined).map(md).join(' · '), '');
      const rows = QUESTIONS.map((q) => {
        const answer = asset.answers.find((a) => a.question === q);
        const verdict: AnswerVerdict = answer?.verdict ?? 'unknown';
        return [QUESTION_TEXT[q], `${VERDICT_MARK[verdict]} ${verdict}`, md(answer?.answer ?? 'not answered')];
      });
      out.push(...table(['Question', 'Verdict', 'Answer'], rows), '');
      const b = asset.blastRadius;
      const blast = [`**Blast radius:** ${md(blastRadiusLine(b))}`];
      if (b.clients.length > 0) blast.push(`Clients: ${b.clients.map(md).join(', ')}`);
      if (b.dataCategories.length > 0) blast.push(`Data: ${b.dataCategories.map(md).join(', ')}`);
      for (const duty of b.notifications) {
        blast.push(`Notify ${md(duty.audience)} within ${duty.deadlineHours} h (${md(duty.regime)}: ${md(duty.basis)})`);
      }
      // Two trailing spaces are a hard line break in Markdown: one paragraph, several lines.
      out.push(blast.join('  \n'), '');
    }
  }

  out.push('## Roadmap', '');
  out.push(
    ...table(
      ['Month', 'Done', 'Open items'],
      r.roadmap.map((m) => [
        roadmapLabel(m.month),
        `${m.done}/${m.total}`,
        m.items.filter((i) => !i.done).map((i) => `${md(i.controlId)} ${md(i.title)} (${i.open} open)`).join('; '),
      ]),
    ),
    '',
  );

  if (r.scanners.length > 0) {
    out.push('## Scanner runs', '');
    out.push(
      ...table(
        ['Scanner', 'Asset', 'Inputs', 'Findings', 'Unscannable', 'Time', 'Notes'],
        r.scanners.map((run) => [
          md(run.scanner),
          md(run.asset ?? ''),
          String(run.inputs.length),
          String(run.findings),
          String(run.unscannable.length),
          formatDuration(run.durationMs),
          run.error !== undefined ? `**error:** ${md(run.error)}` : run.unscannable.map((u) => `${md(u.path)}: ${md(u.reason)}`).join('; '),
        ]),
        ['l', 'l', 'r', 'r', 'r', 'r'],
      ),
      '',
    );
  }

  const findings = assessmentFindings(r);
  out.push('## Findings', '');
  out.push(`${plural(findings.length, 'finding')}: ${severityLine(countBySeverity(findings))}`, '');
  if (findings.length > 0) {
    out.push('<details><summary>All findings</summary>', '', ...table(FINDING_HEADERS, findingRows(findings)), '', '</details>', '');
  }
  return `${out.join('\n')}\n`;
}

export function renderScanMarkdown(doc: ScanDocument, _options: RenderOptions): string {
  const view = scanView(doc);
  const out: string[] = [];
  out.push(`# Warden scan: ${md(view.scanner)}`, '');
  out.push(`${plural(view.scanned, 'input')} scanned · ${plural(view.unscannable.length, 'unscannable input')} · ${formatDuration(view.durationMs)}`, '');
  out.push(`**${plural(view.findings.length, 'finding')}:** ${severityLine(view.counts)}`, '');
  if (view.findings.length > 0) out.push(...table(FINDING_HEADERS, findingRows(view.findings)), '');
  if (view.unscannable.length > 0) {
    out.push('## Not scanned', '', 'These inputs could not be examined; they are not known to be clean.', '');
    out.push(...table(['Input', 'Reason'], view.unscannable.map((u) => [md(u.path), md(u.reason)])), '');
  }
  if (view.failOn !== undefined) {
    out.push(
      view.failing > 0
        ? `**Failing:** ${plural(view.failing, 'finding')} at or above \`--fail-on ${view.failOn}\`.`
        : `Nothing at or above \`--fail-on ${view.failOn}\`.`,
      '',
    );
  }
  return `${out.join('\n')}\n`;
}
