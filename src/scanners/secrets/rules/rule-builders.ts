/**
 * Small constructors so that each rule file reads as a table of formats rather than a wall of
 * regular expressions. They add the word boundaries and window sizes every rule needs.
 */
import type { Severity } from '../../../domain/index.js';
import type { CheckContext, SecretRule } from '../rule-types.js';
import { charClasses, isHexDigest, isUuid, shannonEntropy } from '../validators.js';

interface BaseSpec {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly description: string;
  readonly minEntropy?: number;
  readonly check?: (secret: string, context: CheckContext) => boolean;
  readonly severityOf?: (secret: string, context: CheckContext) => Severity;
  readonly priority?: number;
  readonly remediation?: string;
  readonly noPlaceholderCheck?: boolean;
}

export interface PrefixedSpec extends BaseSpec {
  /** Case-sensitive literal prefixes that start the token (also the prefilter keywords). */
  readonly prefixes: readonly string[];
  /** Regex source for what follows the prefix; bounded quantifiers only. */
  readonly body: string;
  /** Longest possible token, for the window size. */
  readonly maxLength: number;
  /** Characters that may not touch the token on the right (default: letters and digits). */
  readonly rightBoundary?: string;
}

function escapeLiteral(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** A token that starts with a fixed, distinctive prefix (`ghp_`, `sk-ant-`, `AKIA` …). */
export function prefixed(spec: PrefixedSpec): SecretRule {
  const alternation = spec.prefixes.map(escapeLiteral).join('|');
  const right = spec.rightBoundary ?? 'A-Za-z0-9';
  const keywords = [...new Set(spec.prefixes.map((p) => p.toLowerCase()))];
  const shortest = Math.min(...spec.prefixes.map((p) => p.length));
  return {
    id: spec.id,
    title: spec.title,
    severity: spec.severity,
    description: spec.description,
    keywords,
    mode: 'anchored',
    anchorOffset: 0,
    before: 8,
    after: spec.maxLength + 8,
    pattern: new RegExp(`(?<![A-Za-z0-9])((?:${alternation})${spec.body})(?![${right}])`, 'y'),
    secretGroup: 1,
    prefixLength: shortest,
    ...(spec.minEntropy !== undefined && { minEntropy: spec.minEntropy }),
    ...(spec.check !== undefined && { check: spec.check }),
    ...(spec.severityOf !== undefined && { severityOf: spec.severityOf }),
    ...(spec.priority !== undefined && { priority: spec.priority }),
    ...(spec.remediation !== undefined && { remediation: spec.remediation }),
    ...(spec.noPlaceholderCheck !== undefined && { noPlaceholderCheck: spec.noPlaceholderCheck }),
  };
}

export interface ContextualSpec extends BaseSpec {
  /** Lower-case words that must occur near the value (a provider or variable name). */
  readonly keywords: readonly string[];
  /** Regex source for the value itself; bounded quantifiers only. */
  readonly value: string;
  readonly before?: number;
  readonly after?: number;
  readonly caseInsensitive?: boolean;
}

/**
 * A value without a distinctive prefix (40 hex digits, 32 alphanumerics …) that counts only near
 * a word naming its provider. The value must stand alone (not part of a longer word).
 */
export function contextual(spec: ContextualSpec): SecretRule {
  return {
    id: spec.id,
    title: spec.title,
    severity: spec.severity,
    description: spec.description,
    keywords: spec.keywords,
    mode: 'window',
    before: spec.before ?? 120,
    after: spec.after ?? 200,
    pattern: new RegExp(`(?<![A-Za-z0-9_+/-])(${spec.value})(?![A-Za-z0-9_+/=-])`, spec.caseInsensitive ? 'gi' : 'g'),
    secretGroup: 1,
    prefixLength: 0,
    ...(spec.minEntropy !== undefined && { minEntropy: spec.minEntropy }),
    ...(spec.check !== undefined && { check: spec.check }),
    ...(spec.severityOf !== undefined && { severityOf: spec.severityOf }),
    priority: spec.priority ?? 5,
    ...(spec.remediation !== undefined && { remediation: spec.remediation }),
    ...(spec.noPlaceholderCheck !== undefined && { noPlaceholderCheck: spec.noPlaceholderCheck }),
  };
}

// Reusable value checks.

/** Random alphanumeric tokens mix letters and digits (or both cases). */
export function looksRandom(secret: string): boolean {
  const c = charClasses(secret);
  return Number(c.lower) + Number(c.upper) + Number(c.digit) >= 2;
}

/** Random letters-only tokens (Hugging Face) use both cases. */
export function mixedCase(secret: string): boolean {
  const c = charClasses(secret);
  return c.lower && c.upper;
}

/** Hex values must contain both digits and letters (pure-digit runs are ids, not keys). */
export function hexLooksRandom(secret: string): boolean {
  const c = charClasses(secret.replace(/[-_]/g, ''));
  return c.digit && (c.lower || c.upper);
}

/** Not a UUID or a bare hex digest (commit SHA, file hash). */
export function notIdentifier(secret: string): boolean {
  return !isUuid(secret) && !isHexDigest(secret);
}

export function entropyAtLeast(min: number): (secret: string) => boolean {
  return (secret) => shannonEntropy(secret) >= min;
}
