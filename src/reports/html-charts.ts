/**
 * Inline SVG charts for the HTML report. Drawn as plain SVG elements (no script, no external
 * resources) so they render from a file on disk, in print and in mail clients that keep SVG.
 * Colours come from CSS classes so the charts follow the page's light/dark theme. Labels are
 * escaped like every other string even when they are our own words.
 */
import { escapeHtml as h } from './text-escape.js';

export interface BarRow {
  readonly label: string;
  readonly value: number;
  /** CSS class of the bar's fill (`f-high`, `f-good` …). */
  readonly fill: string;
  /** Text at the end of the bar; defaults to the value. */
  readonly text?: string;
}

/** Drawn at about the width of a summary card, so 13px text stays about 13px on screen. */
const WIDTH = 400;
const ROW = 30;

// Natural size 1:1 (width/height attributes); CSS only scales it down in a narrower box.
function svgOpen(title: string, height: number): string {
  return (
    `<svg class="chart" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${h(title)}">` +
    `<title>${h(title)}</title>`
  );
}

function num(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value * 10) / 10) : '0';
}

/** Horizontal bars on a common scale `max` (100 for scores, the largest count otherwise). */
export function horizontalBars(title: string, rows: readonly BarRow[], max: number, labelWidth = 140): string {
  const height = rows.length * ROW + 8;
  const barX = labelWidth + 10;
  const barWidth = WIDTH - barX - 48;
  const scale = max > 0 ? max : 1;
  const parts = [svgOpen(title, height)];
  rows.forEach((row, i) => {
    const y = 4 + i * ROW;
    const value = Math.max(0, Number.isFinite(row.value) ? row.value : 0);
    const w = value === 0 ? 0 : Math.max(3, (Math.min(value, scale) / scale) * barWidth);
    parts.push(
      `<text x="${labelWidth}" y="${y + 19}" text-anchor="end">${h(row.label)}</text>`,
      `<rect class="track" x="${barX}" y="${y + 6}" width="${barWidth}" height="18" rx="4"/>`,
      `<rect class="${h(row.fill)}" x="${barX}" y="${y + 6}" width="${num(w)}" height="18" rx="4"><title>${h(`${row.label}: ${row.text ?? num(value)}`)}</title></rect>`,
      `<text x="${barX + barWidth + 8}" y="${y + 19}">${h(row.text ?? num(value))}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

export interface ProgressRow {
  readonly label: string;
  readonly done: number;
  readonly total: number;
}

/** Done-versus-total bars, one per row (roadmap months). */
export function progressBars(title: string, rows: readonly ProgressRow[]): string {
  return horizontalBars(
    title,
    rows.map((row) => ({
      label: row.label,
      value: row.total === 0 ? 100 : (row.done / row.total) * 100,
      fill: 'f-good',
      text: `${row.done}/${row.total}`,
    })),
    100,
    110,
  );
}

/** Class of a 0–100 score: good from 80, weak from 50, bad below. */
export function scoreClass(score: number): 'good' | 'weak' | 'bad' {
  return score >= 80 ? 'good' : score >= 50 ? 'weak' : 'bad';
}

/** The overall score as a ring with the number in the middle. */
export function scoreRing(score: number): string {
  const clamped = Math.max(0, Math.min(100, Number.isFinite(score) ? score : 0));
  const r = 48;
  const circumference = 2 * Math.PI * r;
  const arc = (clamped / 100) * circumference;
  return (
    `<svg viewBox="0 0 120 120" role="img" aria-label="Score ${num(clamped)} out of 100"><title>Score ${num(clamped)} out of 100</title>` +
    `<circle class="ring-track" cx="60" cy="60" r="${r}"/>` +
    `<circle class="ring s-${scoreClass(clamped)}" cx="60" cy="60" r="${r}" stroke-dasharray="${num(arc)} ${num(circumference)}" transform="rotate(-90 60 60)"/>` +
    `<text class="ring-text" x="60" y="66" text-anchor="middle">${num(clamped)}</text>` +
    `<text class="dim" x="60" y="86" text-anchor="middle">of 100</text></svg>`
  );
}
