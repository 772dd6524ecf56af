/**
 * The shape of a secret-detection rule. Rules are data plus small pure checks; the engine
 * (detection-engine.ts) owns the scanning. Every pattern is linear by construction: bounded
 * quantifiers only, no quantified group that itself contains a quantifier, and it only ever runs on
 * a bounded window around a keyword found by the prefilter (see rules.test.ts, which enforces it).
 */
import type { Severity } from '../../domain/index.js';

/** What kind of text the match was found in; some checks are stricter in code than in config. */
export type TextKind = 'code' | 'config' | 'text' | 'data' | 'notebook-output' | 'history';

export interface CheckContext {
  /** The window the pattern ran on (bytes decoded as latin-1, so offsets equal byte offsets). */
  readonly text: string;
  /** Offset of the secret inside `text`. */
  readonly secretStart: number;
  readonly match: RegExpExecArray;
  readonly kind: TextKind;
}

export interface SecretRule {
  /** Rule id without the `secrets/` prefix, e.g. `openai-project-key`. */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly description: string;
  /** Lower-case literals; the rule is tried only where one of them occurs. */
  readonly keywords: readonly string[];
  /**
   * `anchored`: the pattern (sticky, flag `y`) is tried once at the keyword's start minus
   * `anchorOffset`. `window`: the pattern (flag `g`) runs over the bytes from `before` bytes before
   * to `after` bytes after each keyword (overlapping windows are merged first).
   */
  readonly mode: 'anchored' | 'window';
  readonly anchorOffset?: number;
  readonly before: number;
  readonly after: number;
  readonly pattern: RegExp;
  /** Capture group holding the secret; 0 for the whole match. Default 1. */
  readonly secretGroup?: number;
  /** How many leading characters of the secret are a public type marker (shown when masked). */
  readonly prefixLength?: number;
  /** Minimum Shannon entropy (bits/char) of the secret. */
  readonly minEntropy?: number;
  /** Skip the shared placeholder test (for values whose format already rules placeholders out). */
  readonly noPlaceholderCheck?: boolean;
  /** Extra value check: false means "not a secret". */
  readonly check?: (secret: string, context: CheckContext) => boolean;
  readonly severityOf?: (secret: string, context: CheckContext) => Severity;
  /** Extra words for the message (the key name of a generic assignment). */
  readonly detailOf?: (secret: string, context: CheckContext) => string | undefined;
  /** Higher wins when two rules match overlapping text. Default 10; generic rules use less. */
  readonly priority?: number;
  readonly remediation?: string;
}

export const DEFAULT_REMEDIATION =
  'Revoke or rotate the credential at its issuer now (treat it as compromised), remove it from the code, ' +
  'notebooks and git history, and load it at run time from a secrets manager or an environment variable.';
