/**
 * Value checks shared by the secret rules: entropy, character classes, placeholders, and the
 * checksums some credential formats carry. All of them run on a bounded value (a rule's match, at
 * most a few kilobytes), never on a whole file.
 */
import { crc32 } from 'node:zlib';

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

export interface CharClasses {
  readonly lower: boolean;
  readonly upper: boolean;
  readonly digit: boolean;
  readonly other: boolean;
}

export function charClasses(value: string): CharClasses {
  let lower = false;
  let upper = false;
  let digit = false;
  let other = false;
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = true;
    else if (c >= 65 && c <= 90) upper = true;
    else if (c >= 48 && c <= 57) digit = true;
    else other = true;
  }
  return { lower, upper, digit, other };
}

export function classCount(value: string): number {
  const c = charClasses(value);
  return Number(c.lower) + Number(c.upper) + Number(c.digit) + Number(c.other);
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(value: number, width: number): string {
  let n = value;
  let out = '';
  while (n > 0) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out.padStart(width, '0');
}

/**
 * GitHub (ghp_, gho_, ghu_, ghs_, ghr_) and npm (npm_) tokens end in a 6-character base62 CRC32 of
 * the random part that precedes it (published in GitHub's 2021 "new authentication token formats"
 * post and npm's 2021 token announcement). A value with a wrong checksum is not a real token.
 */
export function hasValidCrc32Base62Checksum(body: string): boolean {
  if (body.length <= 6) return false;
  const random = body.slice(0, -6);
  const checksum = body.slice(-6);
  return base62(crc32(random) >>> 0, 6) === checksum;
}

/** Luhn check for payment card numbers (digits only). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** IBAN mod-97 check (ISO 13616): move the first four characters to the end, letters to numbers. */
export function ibanChecksumValid(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i += 1) {
    const c = rearranged.charCodeAt(i);
    let chunk: string;
    if (c >= 48 && c <= 57) chunk = rearranged[i] as string;
    else if (c >= 65 && c <= 90) chunk = String(c - 55);
    else return false;
    for (const digit of chunk) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

/**
 * Words and shapes that mark a value as an example, a template or a reference to a secret kept
 * elsewhere rather than a secret. Checked case-insensitively on the value alone.
 */
const PLACEHOLDER_MARKERS = [
  'xxxx',
  '****',
  '...',
  '…',
  '<',
  '>',
  '${',
  '{{',
  '}}',
  '$(',
  '%(',
  'your_',
  'your-',
  'yourkey',
  'your_key',
  'example',
  'placeholder',
  'changeme',
  'change_me',
  'replace_me',
  'replaceme',
  'insert_',
  'redacted',
  'dummy',
  'sample',
  'os.environ',
  'process.env',
  'getenv',
  'environ[',
  'secrets.',
  'vault:',
  'env(',
  'env.',
];

const SEQUENCES = ['0123456789', 'abcdefghij', 'qwertyuiop', '1234567890'];

/** True when the value looks like a placeholder or a reference, not a real secret. */
export function isPlaceholder(value: string): boolean {
  const lower = value.toLowerCase();
  for (const marker of PLACEHOLDER_MARKERS) if (lower.includes(marker)) return true;
  for (const seq of SEQUENCES) if (lower.includes(seq)) return true;
  if (/^[$%][A-Za-z_{(]/.test(value)) return true; // $VAR, ${VAR}, %VAR%, $(cmd)
  if (longestRun(value) >= 6) return true; // AAAAAA…, 000000…
  return false;
}

/** Length of the longest run of one repeated character. */
export function longestRun(value: string): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < value.length; i += 1) {
    run = i > 0 && value.charCodeAt(i) === value.charCodeAt(i - 1) ? run + 1 : 1;
    if (run > best) best = run;
  }
  return best;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

/** Hex digests: commit SHAs (40), SHA-256 (64), MD5 (32), SHA-512 (128). */
export function isHexDigest(value: string): boolean {
  return /^[0-9a-f]{32}$|^[0-9a-f]{40}$|^[0-9a-f]{64}$|^[0-9a-f]{128}$/i.test(value);
}

/** Decodes standard or URL-safe base64, or undefined when the value is not base64. */
export function decodeBase64(value: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return undefined;
  const decoded = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return decoded.length === 0 ? undefined : decoded;
}

/** True when every byte is printable ASCII (space to tilde). */
export function isPrintableAscii(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b < 32 || b > 126) return false;
  return true;
}
