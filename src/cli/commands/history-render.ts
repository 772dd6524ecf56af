/**
 * Plain renderings of run lists and run diffs. Text from the store is data the workspace author
 * wrote; Markdown output escapes the characters that would break a table.
 */
import type { RunDiff } from '../../engine/index.js';
import type { RunSummary } from '../../store/index.js';

function md(text: string): string {
  return text.replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

export function renderHistory(runs: readonly RunSummary[], format: 'table' | 'json' | 'markdown'): string {
  if (format === 'json') return `${JSON.stringify({ runs }, null, 2)}\n`;
  if (runs.length === 0) return 'no assessment runs kept yet: run `warden assess`\n';
  const rows = runs.map((r) => [
    r.id.slice(0, 8),
    r.createdAt.replace('T', ' ').slice(0, 19),
    String(r.score),
    String(r.gapsBySeverity.critical),
    String(r.gapsBySeverity.high),
    String(r.gapsBySeverity.medium),
    String(r.gapsBySeverity.low),
    String(r.findings),
  ]);
  const header = ['run', 'created (UTC)', 'score', 'critical', 'high', 'medium', 'low', 'findings'];
  if (format === 'markdown') {
    return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(md).join(' | ')} |`)].join('\n') + '\n';
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

export function renderDiff(diff: RunDiff, format: 'table' | 'json' | 'markdown'): string {
  if (format === 'json') return `${JSON.stringify(diff, null, 2)}\n`;
  const sign = (n: number): string => (n > 0 ? `+${n}` : String(n));
  const out: string[] = [];
  const h = (t: string): void => {
    out.push(format === 'markdown' ? `\n### ${t}\n` : `\n${t}`);
  };
  const item = (t: string): void => {
    out.push(format === 'markdown' ? `- ${md(t)}` : `  ${t}`);
  };
  out.push(`${format === 'markdown' ? '## ' : ''}Run ${diff.before.id.slice(0, 8)} (${diff.before.createdAt}) → ${diff.after.id.slice(0, 8)} (${diff.after.createdAt})`);
  out.push(`score ${diff.score.before} → ${diff.score.after} (${sign(diff.score.delta)})`);
  for (const p of diff.pillars) if (p.delta !== undefined && p.delta !== 0) out.push(`  ${p.pillar}: ${p.before} → ${p.after} (${sign(p.delta)})`);
  const change = (c: RunDiff['controls']['fixed'][number]): string =>
    `${c.controlId}${c.asset ? ` on ${c.asset}` : ''}: ${c.before ?? 'not evaluated'} → ${c.after ?? 'not evaluated'}${c.severity ? ` (${c.severity})` : ''}`;
  h(`Better: ${diff.controls.fixed.length} fixed, ${diff.controls.resolvedGaps.length} gaps closed, ${diff.findings.resolved.length} findings resolved`);
  for (const c of diff.controls.fixed) item(change(c));
  for (const f of diff.findings.resolved.slice(0, 50)) item(`resolved ${f.severity} ${f.ruleId}: ${f.message}`);
  h(`Worse: ${diff.controls.regressed.length} regressed, ${diff.controls.newGaps.length} new gaps, ${diff.findings.new.length} new findings`);
  for (const c of diff.controls.regressed) item(change(c));
  for (const c of diff.controls.newGaps.filter((g: RunDiff['controls']['newGaps'][number]) => !diff.controls.regressed.includes(g))) item(`new gap ${change(c)}`);
  for (const f of diff.findings.new.slice(0, 50)) item(`new ${f.severity} ${f.ruleId}: ${f.message}`);
  return `${out.join('\n')}\n`;
}
