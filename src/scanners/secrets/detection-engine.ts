/**
 * The detection engine: streams bytes through the keyword prefilter, runs only the rules whose
 * keywords occurred, each on a bounded window, validates values, and returns masked results.
 *
 * Threat assumptions: the input is attacker-controlled and may be huge, a single line, or built to
 * make regular expressions backtrack. So: the automaton is one table lookup per byte; each rule's
 * pattern is linear and runs on at most `before + after` bytes per keyword occurrence (overlapping
 * windows of one rule are merged, so a dense run of keywords costs one pass, not one per keyword);
 * the carried-over buffer between chunks is bounded; the number of candidates per stream is capped.
 * Raw secret values never leave this module: results carry a mask and a hash.
 */
import { createHash } from 'node:crypto';
import type { Severity } from '../../domain/index.js';
import { KeywordAutomaton } from './keyword-automaton.js';
import { maskSecret } from './masking.js';
import type { Span } from './masking.js';
import type { CheckContext, SecretRule, TextKind } from './rule-types.js';
import { isPlaceholder, shannonEntropy } from './validators.js';

/** Bytes kept from one chunk to the next at least (context before a keyword, evidence, lines). */
const KEEP_BYTES = 16 * 1024;
/** Longest match any rule may produce; forced region splits keep this much overlap. */
const MAX_MATCH = 24 * 1024;
/** A merged window longer than this is processed in pieces while streaming. */
const MAX_REGION = 1024 * 1024;
const MAX_CANDIDATES = 5000;
const EVIDENCE_BEFORE = 60;
const EVIDENCE_AFTER = 40;
const ALLOW_MARKER = Buffer.from('warden:allow', 'latin1');

export interface RawFinding {
  /** Rule id with the scanner prefix, e.g. `secrets/github-classic-token`. */
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly masked: string;
  /** Domain-separated SHA-256 of the secret (hex, 32 chars): identifies it without revealing it. */
  readonly secretHash: string;
  /** 1-based line of the match start within the stream. */
  readonly line: number;
  readonly column?: number;
  /** The line around the match, every detected secret in it masked. */
  readonly evidence: string;
  readonly detail?: string;
  /** Present when an inline comment or an allow pattern suppressed the finding. */
  readonly suppressed?: 'inline' | 'allow-pattern';
}

export interface StreamResult {
  readonly findings: readonly RawFinding[];
  /** Candidates beyond the per-stream cap that were not examined. */
  readonly truncated: number;
}

interface CompiledRule {
  readonly rule: SecretRule;
  readonly index: number;
  readonly pattern: RegExp;
  readonly ruleId: string;
}

interface Candidate {
  readonly rule: CompiledRule;
  readonly matchStart: number;
  readonly start: number;
  readonly end: number;
  readonly secret: string;
  readonly severity: Severity;
  readonly detail?: string;
  line: number;
  column?: number;
  evidence: string;
  suppressed?: 'inline' | 'allow-pattern';
}

export function secretHash(secret: string): string {
  return createHash('sha256').update('warden-secrets\u0000').update(secret).digest('hex').slice(0, 32);
}

export class SecretEngine {
  readonly rules: readonly CompiledRule[];
  readonly automaton: KeywordAutomaton;
  /** For each keyword index, the rules it triggers. */
  readonly keywordRules: readonly (readonly CompiledRule[])[];

  constructor(rules: readonly SecretRule[]) {
    // Candidate de-duplication packs the rule index into 8 bits of a key.
    if (rules.length > 255) throw new Error('at most 255 secret rules');
    const ids = new Set<string>();
    this.rules = rules.map((rule, index) => {
      if (ids.has(rule.id)) throw new Error(`duplicate secret rule id ${rule.id}`);
      ids.add(rule.id);
      const wanted = rule.mode === 'anchored' ? 'y' : 'g';
      if (!rule.pattern.flags.includes(wanted)) throw new Error(`rule ${rule.id}: ${rule.mode} pattern needs flag ${wanted}`);
      if (rule.before + rule.after > MAX_MATCH) throw new Error(`rule ${rule.id}: window larger than ${MAX_MATCH} bytes`);
      const flags = rule.pattern.flags.includes('d') ? rule.pattern.flags : `${rule.pattern.flags}d`;
      return { rule, index, pattern: new RegExp(rule.pattern.source, flags), ruleId: `secrets/${rule.id}` };
    });
    const keywords: string[] = [];
    const byKeyword = new Map<string, CompiledRule[]>();
    for (const compiled of this.rules) {
      for (const keyword of compiled.rule.keywords) {
        let list = byKeyword.get(keyword);
        if (list === undefined) {
          list = [];
          byKeyword.set(keyword, list);
          keywords.push(keyword);
        }
        list.push(compiled);
      }
    }
    this.automaton = new KeywordAutomaton(keywords);
    this.keywordRules = keywords.map((k) => byKeyword.get(k) as CompiledRule[]);
  }

  stream(kind: TextKind, allowPatterns: readonly RegExp[] = []): SecretStream {
    return new SecretStream(this, kind, allowPatterns);
  }

  /** Scans a whole in-memory text (notebook cells, history hunks, tests). */
  scanText(text: string | Uint8Array, kind: TextKind, allowPatterns: readonly RegExp[] = []): StreamResult {
    const stream = this.stream(kind, allowPatterns);
    stream.push(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, typeof text === 'string');
    return stream.end();
  }
}

export class SecretStream {
  readonly #engine: SecretEngine;
  readonly #kind: TextKind;
  readonly #allow: readonly RegExp[];
  #buf: Buffer = Buffer.alloc(0);
  #bufStart = 0;
  #scanned = 0; // absolute offset up to which the automaton has run
  #state = 0;
  #anchored: number[] = []; // flat pairs: rule index, keyword start
  readonly #regionStart: Float64Array;
  readonly #regionEnd: Float64Array;
  #closed: number[] = []; // flat triples: rule index, start, end
  #seen = new Set<number>();
  #candidates: Candidate[] = [];
  #truncated = 0;
  // line cursor
  #lnPos = 0;
  #lnLine = 1;
  #lnStart = 0;
  #ended = false;

  constructor(engine: SecretEngine, kind: TextKind, allow: readonly RegExp[]) {
    this.#engine = engine;
    this.#kind = kind;
    this.#allow = allow;
    this.#regionStart = new Float64Array(engine.rules.length).fill(-1);
    this.#regionEnd = new Float64Array(engine.rules.length).fill(-1);
  }

  /**
   * Adds the next bytes. `owned` promises the caller will not reuse `chunk`'s memory, which saves
   * a copy; otherwise the bytes are copied.
   */
  push(chunk: Uint8Array, owned = false): void {
    if (this.#ended) throw new Error('stream already ended');
    if (chunk.length === 0) return;
    if (this.#buf.length > 0) this.#buf = Buffer.concat([this.#buf, chunk]);
    else this.#buf = owned ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.from(chunk);
    this.#process(false);
  }

  end(): StreamResult {
    if (!this.#ended) {
      this.#ended = true;
      this.#process(true);
    }
    return { findings: this.#resolve(), truncated: this.#truncated };
  }

  #process(final: boolean): void {
    const engine = this.#engine;
    const buf = this.#buf;
    const bufStart = this.#bufStart;
    const bufEnd = bufStart + buf.length;
    const regionStart = this.#regionStart;
    const regionEnd = this.#regionEnd;
    const anchored = this.#anchored;
    const closed = this.#closed;
    const keywordRules = engine.keywordRules;

    this.#state = engine.automaton.scan(buf, this.#scanned - bufStart, buf.length, this.#state, bufStart, (k, start) => {
      for (const compiled of keywordRules[k] as readonly CompiledRule[]) {
        const rule = compiled.rule;
        if (rule.mode === 'anchored') {
          anchored.push(compiled.index, start);
          continue;
        }
        const r = compiled.index;
        const ws = Math.max(0, start - rule.before);
        const we = start + rule.after;
        const rs = regionStart[r] as number;
        if (rs >= 0 && ws <= (regionEnd[r] as number)) {
          if (we > (regionEnd[r] as number)) regionEnd[r] = we;
        } else {
          if (rs >= 0) closed.push(r, rs, regionEnd[r] as number);
          regionStart[r] = ws;
          regionEnd[r] = we;
        }
      }
    });
    this.#scanned = bufEnd;

    const found: Candidate[] = [];
    this.#text = undefined;
    // Anchored rules whose window is complete (or the input ended).
    const stillPending: number[] = [];
    for (let i = 0; i < anchored.length; i += 2) {
      const compiled = engine.rules[anchored[i] as number] as CompiledRule;
      const kwStart = anchored[i + 1] as number;
      if (!final && kwStart + compiled.rule.after > bufEnd) {
        stillPending.push(compiled.index, kwStart);
        continue;
      }
      this.#runAnchored(compiled, kwStart, found);
    }
    this.#anchored = stillPending;
    for (let i = 0; i < closed.length; i += 3) {
      this.#runWindow(engine.rules[closed[i] as number] as CompiledRule, closed[i + 1] as number, closed[i + 2] as number, Infinity, found);
    }
    this.#closed = [];
    let keepFrom = Math.max(bufStart, bufEnd - KEEP_BYTES);
    for (const compiled of engine.rules) {
      const r = compiled.index;
      const rs = regionStart[r] as number;
      if (rs < 0) continue;
      const re = regionEnd[r] as number;
      if (final || re <= bufEnd) {
        this.#runWindow(compiled, rs, Math.min(re, bufEnd), Infinity, found);
        regionStart[r] = -1;
        regionEnd[r] = -1;
      } else if (bufEnd - rs > MAX_REGION) {
        // Dense keywords: process what we have, keep an overlap long enough for any match.
        const cut = bufEnd - MAX_MATCH;
        this.#runWindow(compiled, rs, bufEnd, cut, found);
        regionStart[r] = cut;
        keepFrom = Math.min(keepFrom, cut);
      } else {
        keepFrom = Math.min(keepFrom, rs);
      }
    }
    for (let i = 0; i < this.#anchored.length; i += 2) {
      const compiled = engine.rules[this.#anchored[i] as number] as CompiledRule;
      const from = (this.#anchored[i + 1] as number) - (compiled.rule.anchorOffset ?? 0) - compiled.rule.before;
      keepFrom = Math.min(keepFrom, Math.max(bufStart, from));
    }

    this.#describe(found);
    for (const candidate of found) {
      if (this.#candidates.length >= MAX_CANDIDATES) this.#truncated += 1;
      else this.#candidates.push(candidate);
    }

    if (!final) {
      keepFrom = Math.max(bufStart, keepFrom);
      this.#moveCursor(keepFrom);
      this.#buf = buf.subarray(keepFrom - bufStart);
      this.#bufStart = keepFrom;
      if (this.#seen.size > 100_000) {
        const floor = keepFrom - MAX_MATCH;
        this.#seen = new Set([...this.#seen].filter((key) => Math.floor(key / 256) >= floor));
      }
    }
  }

  /** The current buffer decoded as latin-1 (one character per byte), made once per round when needed. */
  #text: string | undefined;

  #bufferText(): string {
    this.#text ??= this.#buf.toString('latin1');
    return this.#text;
  }

  #runAnchored(compiled: CompiledRule, kwStart: number, out: Candidate[]): void {
    const rule = compiled.rule;
    const anchor = kwStart - (rule.anchorOffset ?? 0);
    if (anchor < this.#bufStart) return;
    // Sticky patterns run on the whole buffer text: their own bounded quantifiers limit how far they
    // read, and lookbehinds see the real preceding bytes. No per-hit copy of a window.
    const text = this.#bufferText();
    const pattern = compiled.pattern;
    pattern.lastIndex = anchor - this.#bufStart;
    const match = pattern.exec(text);
    if (match !== null) this.#consider(compiled, match, text, this.#bufStart, out);
  }

  #runWindow(compiled: CompiledRule, start: number, end: number, acceptBefore: number, out: Candidate[]): void {
    const ws = Math.max(this.#bufStart, start);
    const we = Math.min(this.#bufStart + this.#buf.length, end);
    if (we <= ws) return;
    const text = this.#buf.toString('latin1', ws - this.#bufStart, we - this.#bufStart);
    const pattern = compiled.pattern;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      if (match[0].length === 0) pattern.lastIndex += 1;
      if (ws + match.index >= acceptBefore) break;
      this.#consider(compiled, match, text, ws, out);
    }
  }

  #consider(compiled: CompiledRule, match: RegExpExecArray, text: string, textStart: number, out: Candidate[]): void {
    const rule = compiled.rule;
    const matchStart = textStart + match.index;
    const key = matchStart * 256 + compiled.index;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    let group = rule.secretGroup ?? 1;
    if (group === -1) {
      group = 0;
      for (let g = 2; g < match.length; g += 1) {
        if (match[g] !== undefined) {
          group = g;
          break;
        }
      }
    }
    const secret = match[group];
    const span = match.indices?.[group];
    if (secret === undefined || secret.length === 0 || span === undefined) return;
    const body = secret.slice(rule.prefixLength ?? 0);
    if (rule.noPlaceholderCheck !== true && isPlaceholder(body)) return;
    if (rule.minEntropy !== undefined && shannonEntropy(body) < rule.minEntropy) return;
    const context: CheckContext = { text, secretStart: span[0], match, kind: this.#kind };
    if (rule.check !== undefined && !rule.check(secret, context)) return;
    const detail = rule.detailOf?.(secret, context);
    out.push({
      rule: compiled,
      matchStart,
      start: textStart + span[0],
      end: textStart + span[1],
      secret,
      severity: rule.severityOf?.(secret, context) ?? rule.severity,
      ...(detail !== undefined && { detail }),
      line: 0,
      evidence: '',
    });
  }

  /** Line, column, masked evidence and suppression for this round's candidates (bytes still in the buffer). */
  #describe(found: Candidate[]): void {
    if (found.length === 0) return;
    found.sort((a, b) => a.matchStart - b.matchStart);
    // Higher-priority rules first, so where two rules cover one value the specific mask is shown.
    const spans: Span[] = [...found]
      .sort((a, b) => (b.rule.rule.priority ?? 10) - (a.rule.rule.priority ?? 10))
      .map((c) => ({ start: c.start, end: c.end, mask: maskSecret(c.secret, c.rule.rule.prefixLength ?? 0) }));
    const buf = this.#buf;
    const base = this.#bufStart;
    for (const c of found) {
      this.#moveCursor(c.matchStart);
      c.line = this.#lnLine;
      if (this.#lnStart >= 0) c.column = c.matchStart - this.#lnStart + 1;
      const lineStart = this.#lnStart >= base ? this.#lnStart : Math.max(base, c.matchStart - 4096);
      let lineEnd = buf.indexOf(10, c.matchStart - base);
      lineEnd = lineEnd < 0 ? base + buf.length : base + lineEnd;
      if (lineEnd - c.matchStart > 4096) lineEnd = c.matchStart + 4096;
      const from = Math.max(lineStart, c.matchStart - EVIDENCE_BEFORE);
      const to = Math.min(lineEnd, Math.max(c.end, c.matchStart) + EVIDENCE_AFTER);
      c.evidence = excerpt(buf, base, from, to, spans, lineStart, lineEnd);
      if (this.#hasAllowComment(lineStart, lineEnd)) c.suppressed = 'inline';
      else if (this.#allow.length > 0) {
        const lineText = buf.toString('utf8', Math.max(lineStart, c.matchStart - 500) - base, Math.min(lineEnd, c.end + 500) - base);
        if (this.#allow.some((re) => re.test(c.secret) || re.test(lineText))) c.suppressed = 'allow-pattern';
      }
    }
  }

  #hasAllowComment(lineStart: number, lineEnd: number): boolean {
    const buf = this.#buf;
    const base = this.#bufStart;
    if (buf.subarray(lineStart - base, lineEnd - base).indexOf(ALLOW_MARKER) >= 0) return true;
    if (lineStart - 1 <= base) return false;
    const prevEnd = lineStart - 1;
    const prevNewline = buf.lastIndexOf(10, prevEnd - base - 1);
    const prevStart = prevNewline < 0 ? base : base + prevNewline + 1;
    if (prevEnd - prevStart > 8192) return false;
    return buf.subarray(prevStart - base, prevEnd - base).indexOf(ALLOW_MARKER) >= 0;
  }

  /** Moves the line cursor to absolute offset `pos` (which must lie in the current buffer). */
  #moveCursor(pos: number): void {
    const buf = this.#buf;
    const base = this.#bufStart;
    if (pos >= this.#lnPos) {
      let i = buf.indexOf(10, this.#lnPos - base);
      while (i >= 0 && base + i < pos) {
        this.#lnLine += 1;
        this.#lnStart = base + i + 1;
        i = buf.indexOf(10, i + 1);
      }
    } else {
      let count = 0;
      let i = buf.indexOf(10, pos - base);
      while (i >= 0 && base + i < this.#lnPos) {
        count += 1;
        i = buf.indexOf(10, i + 1);
      }
      if (count > 0) {
        this.#lnLine -= count;
        const prev = pos - base > 0 ? buf.lastIndexOf(10, pos - base - 1) : -1;
        this.#lnStart = prev >= 0 ? base + prev + 1 : base === 0 ? 0 : -1;
      }
    }
    this.#lnPos = pos;
  }

  /** Overlaps between rules: the higher priority (then the longer value) wins. */
  #resolve(): RawFinding[] {
    const sorted = [...this.#candidates].sort((a, b) => a.start - b.start || b.end - a.end);
    const kept: Candidate[] = [];
    for (const c of sorted) {
      const last = kept[kept.length - 1];
      if (last !== undefined && c.start < last.end) {
        const pc = c.rule.rule.priority ?? 10;
        const pl = last.rule.rule.priority ?? 10;
        if (pc > pl || (pc === pl && c.end - c.start > last.end - last.start)) kept[kept.length - 1] = c;
        continue;
      }
      kept.push(c);
    }
    // Belt and braces: no part (8+ characters) of any nearby candidate's raw value may appear in any
    // evidence, even one found in a later chunk round than the evidence was cut.
    const all = [...this.#candidates].sort((a, b) => a.start - b.start);
    return kept.map((c) => {
      const nearby = all.filter((o) => o.end > c.matchStart - 4096 && o.start < c.end + 4096).map((o) => ({ raw: o.secret, prefix: o.rule.rule.prefixLength ?? 0 }));
      const evidence = scrub(c.evidence, nearby);
      return {
        ruleId: c.rule.ruleId,
        title: c.rule.rule.title,
        severity: c.severity,
        masked: maskSecret(c.secret, c.rule.rule.prefixLength ?? 0),
        secretHash: secretHash(c.secret),
        line: c.line,
        ...(c.column !== undefined && { column: c.column }),
        evidence,
        ...(c.detail !== undefined && { detail: c.detail }),
        ...(c.suppressed !== undefined && { suppressed: c.suppressed }),
      };
    });
  }
}

/** Replaces any run of 8 or more characters shared with one of `raws` by `****`. */
export function scrub(evidence: string, raws: readonly { raw: string; prefix: number }[]): string {
  let out = evidence;
  for (const { raw, prefix } of raws) {
    if (raw.length < 8) {
      if (raw.length >= 4) out = out.split(raw).join('****');
      continue;
    }
    // The type prefix (ghp_, sk-proj-) is public and shown in masks: only the rest is scrubbed.
    for (let k = prefix; k + 8 <= raw.length; k += 1) {
      const piece = raw.slice(k, k + 8);
      let at = out.indexOf(piece);
      while (at >= 0) {
        let end = at + 8;
        while (end < out.length && k + (end - at) < raw.length && out[end] === raw[k + (end - at)]) end += 1;
        out = `${out.slice(0, at)}****${out.slice(end)}`;
        at = out.indexOf(piece, at + 4);
      }
    }
  }
  return out;
}

/** The evidence line: masked spans, control characters blanked, ellipses where it was cut. */
function excerpt(buf: Buffer, base: number, from: number, to: number, spans: readonly Span[], lineStart: number, lineEnd: number): string {
  const ordered = spans
    .filter((s) => s.end > from && s.start < to)
    .map((s) => ({ start: s.start - from, end: s.end - from, mask: s.mask }))
    .sort((a, b) => a.start - b.start); // stable: equal starts keep priority order
  const length = to - from;
  const parts: string[] = [];
  // Each unmasked gap is decoded separately so byte offsets stay right with multi-byte UTF-8.
  const gap = (a: number, b: number): void => {
    parts.push(buf.toString('utf8', from - base + a, from - base + b).replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, ' '));
  };
  let cursor = 0;
  for (const span of ordered) {
    if (span.end <= cursor) continue;
    const s = Math.max(span.start, cursor);
    if (s > cursor) gap(cursor, Math.min(s, length));
    parts.push(span.mask);
    cursor = span.end;
  }
  if (cursor < length) gap(cursor, length);
  const prefix = from > lineStart ? '…' : '';
  const suffix = to < lineEnd ? '…' : '';
  return `${prefix}${parts.join('').trim()}${suffix}`;
}
