/**
 * Column layout for terminal tables: fixed columns take their natural width, one flexible
 * column takes what is left of the terminal, and every cell is sanitised and cut to fit.
 * Colour is applied after padding so ANSI codes never disturb the alignment.
 */
import { displayWidth, padEnd, padStart, sanitizeTerminal, truncate, truncateStart } from './text-escape.js';
import type { Style } from './terminal-style.js';

export interface Column {
  readonly header: string;
  /** The column that absorbs the remaining width (at most one). */
  readonly flex?: boolean;
  readonly align?: 'left' | 'right';
  /** Upper bound of a fixed column's width. */
  readonly max?: number;
  /** A fixed column may give up width down to this, to leave the flexible column readable. */
  readonly min?: number;
  /** Where to cut a long cell: paths keep their end (file name and line), text its start. */
  readonly cut?: 'start' | 'end';
}

export type Painter = (row: number, column: number, text: string) => string;

const GAP = '  ';
const MIN_FLEX = 16;
/** Width the flexible column is given, when it needs it, before fixed columns stop shrinking. */
const COMFORT_FLEX = 36;

export function layoutTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  width: number,
  style: Style,
  paint: Painter = (_r, _c, text) => text,
  indent = '  ',
): string[] {
  const cells = rows.map((row) => columns.map((_, i) => sanitizeTerminal(row[i] ?? '')));
  const widths = columns.map((column, i) => {
    const natural = Math.max(displayWidth(column.header), ...cells.map((row) => displayWidth(row[i] ?? '')));
    return column.max !== undefined ? Math.min(natural, column.max) : natural;
  });
  const flexIndex = columns.findIndex((c) => c.flex === true);
  if (flexIndex >= 0) {
    const natural = widths[flexIndex] ?? 0;
    const available = (): number =>
      width - displayWidth(indent) - GAP.length * (columns.length - 1) - widths.reduce((sum, w, i) => (i === flexIndex ? sum : sum + w), 0);
    // Shrink the fixed columns that allow it, widest slack first, until the flexible one is readable.
    let deficit = Math.min(natural, COMFORT_FLEX) - available();
    while (deficit > 0) {
      let best = -1;
      columns.forEach((column, i) => {
        const slack = (widths[i] ?? 0) - (column.min ?? widths[i] ?? 0);
        if (i !== flexIndex && slack > 0 && (best < 0 || slack > (widths[best] ?? 0) - (columns[best]?.min ?? 0))) best = i;
      });
      if (best < 0) break;
      widths[best] = (widths[best] ?? 0) - 1;
      deficit -= 1;
    }
    widths[flexIndex] = Math.max(MIN_FLEX, Math.min(natural, available()));
  }
  const render = (row: readonly string[], rowIndex: number, header: boolean): string => {
    const parts = columns.map((column, i) => {
      const w = widths[i] ?? 0;
      const text = column.cut === 'start' ? truncateStart(row[i] ?? '', w) : truncate(row[i] ?? '', w);
      const last = i === columns.length - 1;
      const padded = column.align === 'right' ? padStart(text, w) : last ? text : padEnd(text, w);
      return header ? style.dim(padded) : paint(rowIndex, i, padded);
    });
    return indent + parts.join(GAP);
  };
  return [render(columns.map((c) => c.header), -1, true), ...cells.map((row, i) => render(row, i, false))];
}
