/**
 * Generic assignments (`password = "…"`, `API_TOKEN: …`) and HTTP authorization headers. These are
 * the noisiest rules, so they carry the strictest value checks: the key name must not describe
 * something else (a file, a length, a tokenizer), the value must be a literal (not an expression,
 * an environment reference or a template) and, for tokens, look random. They have the lowest
 * priority: a provider-specific rule matching the same value wins.
 */
import type { CheckContext, SecretRule, TextKind } from '../rule-types.js';
import {
  classCount,
  decodeBase64,
  isPlaceholder,
  isPrintableAscii,
  isUuid,
  shannonEntropy,
} from '../validators.js';
import { isTrivialPassword } from './key-rules.js';

/** Words in a key name that mean the value is not the secret itself. */
const DENY_NAME_WORDS = new Set([
  'file', 'files', 'path', 'dir', 'url', 'uri', 'endpoint', 'name', 'names', 'len', 'length', 'count', 'size',
  'type', 'kind', 'field', 'fields', 'header', 'prefix', 'suffix', 'pattern', 'regex', 'hash', 'hashed', 'digest',
  'sha', 'checksum', 'limit', 'max', 'min', 'timeout', 'expiry', 'expires', 'expiration', 'ttl', 'policy',
  'manager', 'provider', 'class', 'factory', 'mode', 'format', 'version', 'label', 'hint', 'help', 'placeholder',
  'required', 'enabled', 'rotation', 'ref', 'arn', 'store', 'env', 'var', 'vars', 'template', 'input', 'description',
  'tokenizer', 'tokenizers', 'tokens', 'tokenize', 'tokenized', 'detokenize', 'secretary', 'passwordless',
  'reset', 'forgot', 'confirm', 'confirmation', 'validator', 'validation', 'strength', 'regexp', 'storage',
  'generator', 'prompt', 'message', 'error', 'label', 'location', 'source', 'key_ref', 'keyref', 'secretkeyref',
  'show', 'visible', 'toggle', 'icon', 'policy', 'rules', 'min_length', 'usage', 'budget', 'price', 'cost',
  'id', 'ids',
]);

/** Token formats with their own rule and checksum: when that rule rejected a value, so do we. */
const CHECKSUMMED_FORMATS = /^(?:gh[pousr]_|npm_)[A-Za-z0-9]{36}$/;

const NON_SECRET_VALUES = new Set([
  'true', 'false', 'null', 'none', 'nil', 'undefined', 'required', 'optional', 'string', 'str', 'int', 'bool',
  'boolean', 'text', 'hidden', 'yes', 'no', 'on', 'off', 'default', 'auto', 'empty', 'unknown', 'not_set',
  'notset', 'unset', 'tbd', 'todo', 'fixme', 'n/a', 'na',
]);

function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** The whole key name around the keyword: identifier characters before it, the keyword, and its tail. */
function keyName(ctx: CheckContext): string {
  const matchStart = ctx.match.index;
  let start = matchStart;
  while (start > 0 && matchStart - start < 40 && /[A-Za-z0-9_.-]/.test(ctx.text[start - 1] as string)) start -= 1;
  const tailEnd = ctx.match.indices?.[1]?.[1] ?? matchStart;
  return ctx.text.slice(start, tailEnd);
}

interface AssignmentValue {
  readonly value: string;
  readonly quoted: boolean;
}

function assignmentValue(match: RegExpExecArray): AssignmentValue {
  const quoted = match[2] ?? match[3] ?? match[4];
  if (quoted !== undefined) return { value: quoted, quoted: true };
  return { value: match[5] ?? '', quoted: false };
}

/** Config-like text accepts bare values (`KEY=value`); in code a bare value is an expression. */
function acceptsBareValues(kind: TextKind): boolean {
  return kind !== 'code';
}

/**
 * Slugs and names built from words and numbers (`model-2133`, `bert-base-uncased`, `prod_db_01`):
 * every part is all letters or all digits. Random tokens mix letters and digits inside a part.
 */
export function looksLikeSlug(value: string): boolean {
  if (!/^[A-Za-z0-9]{1,64}(?:[-_.:/][A-Za-z0-9]{1,64}){0,16}$/.test(value)) return false;
  return value.split(/[-_.:/]/).every((part) => /^[A-Za-z]+$/.test(part) || /^[0-9]+$/.test(part));
}

function commonValueChecks(name: string, value: AssignmentValue, ctx: CheckContext): boolean {
  const words = nameWords(name);
  if (words.some((w) => DENY_NAME_WORDS.has(w))) return false;
  const v = value.value;
  if (!value.quoted && !acceptsBareValues(ctx.kind)) return false;
  if (/\s/.test(v)) return false;
  if (NON_SECRET_VALUES.has(v.toLowerCase())) return false;
  if (isPlaceholder(v) || isTrivialPassword(v)) return false;
  if (words.includes(v.toLowerCase())) return false; // "password": "password"
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(v)) return false; // a path
  if (/%[sd]|\{[0-9]?\}|\\[dws]/.test(v)) return false; // a format string or a regex
  if (/^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*){1,8}$/.test(v)) return false; // a.b.c reference
  if (!value.quoted && /^[A-Z][A-Z0-9_]*$/.test(v) && v.includes('_')) return false; // another variable's name
  if (/^https?:\/\//i.test(v)) return false;
  return true;
}

// key name tail, optional closing quote/bracket, a separator, then a quoted or bare value.
const ASSIGNMENT_TAIL =
  '([A-Za-z0-9_.-]{0,30})["\'\\]]{0,2}[ \\t]{0,4}(?:=|:=|=>|:|\\?=|\\|\\|=)[ \\t]{0,4}' +
  '(?:"([^"\\r\\n]{1,200})"|\'([^\'\\r\\n]{1,200})\'|`([^`\\r\\n]{1,200})`|([^\\s"\'`,;&|<>(){}[\\]]{1,200}))';

export const GENERIC_RULES: readonly SecretRule[] = [
  {
    id: 'generic-password',
    title: 'Hard-coded password',
    severity: 'medium',
    description: 'A literal password assigned to a password-named key (password=, passwd:, PASSWORD => …).',
    keywords: ['password', 'passwd', 'passphrase', 'pwd'],
    mode: 'anchored',
    before: 48,
    after: 260,
    pattern: new RegExp(`(?:password|passwd|passphrase|pwd)${ASSIGNMENT_TAIL}`, 'iy'),
    secretGroup: -1,
    prefixLength: 0,
    priority: 1,
    noPlaceholderCheck: true,
    check: (_secret, ctx) => {
      const value = assignmentValue(ctx.match);
      const v = value.value;
      if (v.length < (value.quoted ? 6 : 8)) return false;
      if (!commonValueChecks(keyName(ctx), value, ctx)) return false;
      if (looksLikeSlug(v) && v === v.toLowerCase()) return false;
      return classCount(v) >= 2 || (v.length >= 12 && shannonEntropy(v) >= 3);
    },
    detailOf: (_s, ctx) => `assigned to ${keyName(ctx)}`,
  },
  {
    id: 'generic-secret',
    title: 'Hard-coded secret or token',
    severity: 'medium',
    description: 'A random-looking literal assigned to a secret-, token- or key-named variable (secret=, api_key:, TOKEN=…).',
    keywords: ['secret', 'token', 'api_key', 'apikey', 'api-key', 'access_key', 'accesskey', 'auth_key', 'private_key', 'credential', 'signing_key', 'encryption_key'],
    mode: 'anchored',
    before: 48,
    after: 260,
    pattern: new RegExp(
      `(?:secret|token|api_key|apikey|api-key|access_key|accesskey|auth_key|private_key|credential|signing_key|encryption_key)${ASSIGNMENT_TAIL}`,
      'iy',
    ),
    secretGroup: -1,
    prefixLength: 0,
    priority: 1,
    noPlaceholderCheck: true,
    check: (_secret, ctx) => {
      const value = assignmentValue(ctx.match);
      const v = value.value;
      if (v.length < (value.quoted ? 12 : 16)) return false;
      if (!commonValueChecks(keyName(ctx), value, ctx)) return false;
      if (isUuid(v) || CHECKSUMMED_FORMATS.test(v) || looksLikeSlug(v)) return false;
      // Commit SHAs and SHA-256/512 digests: identifiers, not credentials (32-hex API keys stay in).
      if (/^(?:[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$/i.test(v)) return false;
      return classCount(v) >= 2 && shannonEntropy(v) >= (v.length >= 20 ? 3.5 : 3.2);
    },
    detailOf: (_s, ctx) => `assigned to ${keyName(ctx)}`,
  },
  {
    id: 'http-basic-auth',
    title: 'HTTP Basic credentials',
    severity: 'high',
    description: 'An Authorization: Basic header value that decodes to user:password.',
    keywords: ['authorization'],
    mode: 'window',
    before: 0,
    after: 200,
    pattern: /\bBasic ([A-Za-z0-9+/]{8,300}={0,2})(?![A-Za-z0-9+/=])/g,
    secretGroup: 1,
    prefixLength: 0,
    priority: 4,
    check: (secret) => {
      const decoded = decodeBase64(secret);
      if (decoded === undefined || !isPrintableAscii(decoded)) return false;
      const text = decoded.toString('latin1');
      const colon = text.indexOf(':');
      return colon > 0 && colon < text.length - 3 && !isPlaceholder(text) && !isTrivialPassword(text.slice(colon + 1));
    },
  },
  {
    id: 'bearer-token',
    title: 'Bearer token',
    severity: 'medium',
    description: 'A literal bearer token in an Authorization header or curl command.',
    keywords: ['bearer '],
    mode: 'anchored',
    before: 8,
    after: 1100,
    pattern: /Bearer ([A-Za-z0-9._~+/-]{20,1000}={0,2})(?![A-Za-z0-9._~+/=-])/iy,
    secretGroup: 1,
    prefixLength: 0,
    priority: 3,
    minEntropy: 3.5,
    check: (secret) => classCount(secret) >= 2 && !isUuid(secret),
  },
];

/** Exposed for tests: the name split used by the generic rules. */
export const genericInternals = { nameWords, DENY_NAME_WORDS, looksLikeSlug };
