/**
 * Masking: every secret value that leaves the detection engine (finding message, evidence, SARIF,
 * baseline) is masked. We keep a short known prefix (the credential's type marker, e.g. `ghp_`) and
 * the last few characters, and never more than a quarter of the value, so a reader can tell two
 * findings apart and recognise the key in a console without the report becoming a leak itself.
 */

const MAX_SHOWN_FRACTION = 0.25;

export function maskSecret(secret: string, knownPrefixLength = 0): string {
  const budget = Math.floor(secret.length * MAX_SHOWN_FRACTION);
  const prefix = Math.min(knownPrefixLength, budget);
  const suffix = Math.max(0, Math.min(4, budget - prefix));
  const head = secret.slice(0, prefix);
  // The tail is taken from the value without line breaks or \n escapes (PEM bodies end in them).
  const visible = secret.replace(/\\[rn]|\s/g, '');
  const tail = suffix > 0 ? visible.slice(Math.max(prefix, visible.length - suffix)) : '';
  return `${head}****…${tail}`;
}

/** Number of characters of `secret` that `maskSecret` reveals. */
export function revealedCount(secret: string, knownPrefixLength = 0): number {
  const budget = Math.floor(secret.length * MAX_SHOWN_FRACTION);
  const prefix = Math.min(knownPrefixLength, budget);
  return prefix + Math.max(0, Math.min(4, budget - prefix));
}

export interface Span {
  readonly start: number;
  readonly end: number;
  readonly mask: string;
}

/**
 * Replaces every span in `text` (offsets relative to `text`) with its mask. Spans may overlap or
 * reach outside the text; any character covered by a span is removed, so a partly visible secret at
 * the edge of an excerpt is still hidden.
 */
export function applyMasks(text: string, spans: readonly Span[]): string {
  const relevant = spans
    .filter((s) => s.end > 0 && s.start < text.length)
    .map((s) => ({ start: Math.max(0, s.start), end: Math.min(text.length, s.end), mask: s.mask }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let cursor = 0;
  for (const span of relevant) {
    if (span.end <= cursor) continue;
    if (span.start >= cursor) {
      out += text.slice(cursor, span.start) + span.mask;
    }
    cursor = Math.max(cursor, span.end);
  }
  return out + text.slice(cursor);
}
