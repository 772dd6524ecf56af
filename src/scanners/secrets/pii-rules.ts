/**
 * Personal data that should not sit in notebook outputs or data files: e-mail addresses, phone
 * numbers, US SSNs, payment cards (Luhn), IBANs (mod 97), dates of birth near names, medical record
 * numbers and ICD-10 codes near patient fields. Each detector validates what its pattern finds, so a
 * 16-digit id or a version number is not reported as a card or a phone number.
 */
import type { Severity } from '../../domain/index.js';
import { ibanChecksumValid, luhnValid } from './validators.js';

export interface PiiRule {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** Suggested data classification for the holding asset (feeds the data-classification control). */
  readonly classification: 'confidential' | 'restricted';
  /** Personal-data category, in the workspace's data_categories vocabulary. */
  readonly category: 'pii' | 'phi' | 'payment' | 'financial';
  readonly description: string;
  readonly pattern: RegExp;
  /** Returns the value to report (masked later), or undefined to reject the match. */
  readonly accept: (match: RegExpExecArray, text: string) => string | undefined;
}

const EXAMPLE_DOMAINS = /(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|localhost|local)$/i;
const FILE_EXTENSIONS = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'ico', 'js', 'ts', 'css', 'py', 'json', 'html', 'map', 'txt', 'md',
  'whl', 'gz', 'zip', 'tar', 'so', 'pyc', 'lock', 'yaml', 'yml', 'toml',
]);
const SERVICE_LOCAL_PARTS = new Set(['git', 'noreply', 'no-reply', 'donotreply', 'do-not-reply', 'mailer-daemon', 'postmaster']);

const KNOWN_TEST_CARDS = new Set([
  '4111111111111111', '4242424242424242', '4012888888881881', '4000056655665556', '5555555555554444',
  '5105105105105100', '2223003122003222', '378282246310005', '371449635398431', '6011111111111117',
  '6011000990139424', '3056930009020004', '36227206271667', '3566002020360505',
]);
const KNOWN_EXAMPLE_SSNS = new Set(['078051120', '123456789', '219099999']);
/** ISO 13616 IBAN length per country (the public registry). */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, CH: 21, CR: 22, CY: 28, CZ: 24,
  DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27,
  GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LI: 21, LT: 20, LU: 20,
  LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24, PL: 28, PS: 29, PT: 25,
  QA: 29, RO: 24, RS: 22, SA: 24, SE: 24, SI: 19, SK: 24, SM: 27, TN: 24, TR: 26, UA: 29, VG: 24, XK: 20,
};
/** Published documentation IBANs (valid checksums, never real accounts). */
const KNOWN_EXAMPLE_IBANS = new Set(['GB82WEST12345698765432', 'DE89370400440532013000', 'GB29NWBK60161331926819']);

const NAME_NEARBY = /\b(?:name|first_?name|last_?name|surname|full_?name|given_?name|family_?name|patient)\b/i;
const PATIENT_NEARBY = /patient|\bmrn\b|member_?id|medical[ _-]?record/i;

function near(text: string, index: number, re: RegExp, radius = 300): boolean {
  return re.test(text.slice(Math.max(0, index - radius), index + radius));
}

export function plausibleDate(value: string): boolean {
  let year: number;
  let month: number;
  let day: number;
  const iso = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(value);
  if (iso !== null) {
    year = Number(iso[1]);
    month = Number(iso[2]);
    day = Number(iso[3]);
  } else {
    const parts = value.split(/[/.-]/).map(Number);
    if (parts.length !== 3) return false;
    const [a, b, c] = parts as [number, number, number];
    year = c < 100 ? 1900 + c : c;
    // Either day/month or month/day: accept when one reading is a valid date.
    month = a <= 12 ? a : b;
    day = a <= 12 ? b : a;
  }
  return year >= 1900 && year <= 2030 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

export function validIban(candidate: string): boolean {
  const iban = candidate.replace(/ /g, '');
  const expected = IBAN_LENGTHS[iban.slice(0, 2)];
  return expected === iban.length && !KNOWN_EXAMPLE_IBANS.has(iban) && ibanChecksumValid(iban);
}

export function validCard(candidate: string): boolean {
  const separators = candidate.replace(/[0-9]/g, '');
  if (separators.length > 0) {
    // Printed cards are grouped 4-4-4-4 (most brands), 4-6-5 (Amex) or 4-6-4 (Diners), one separator kind.
    if (new Set(separators).size > 1) return false;
    const groups = candidate.split(/[ -]/).map((g) => g.length).join('-');
    if (!['4-4-4-4', '4-6-5', '4-6-4'].includes(groups)) return false;
  }
  const digits = candidate.replace(/[^0-9]/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  if (KNOWN_TEST_CARDS.has(digits) || /^(.)\1+$/.test(digits)) return false;
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  const brand =
    digits[0] === '4' ||
    (two >= 51 && two <= 55) ||
    (four >= 2221 && four <= 2720) ||
    two === 34 ||
    two === 37 ||
    two === 36 ||
    two === 38 ||
    (two >= 30 && two <= 30) ||
    digits.startsWith('6011') ||
    two === 65 ||
    (four >= 3528 && four <= 3589) ||
    two === 62;
  return brand && luhnValid(digits);
}

export function validSsn(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  if (a === 0 || a === 666 || a >= 900) return false;
  if (group === '00' || serial === '0000') return false;
  return !KNOWN_EXAMPLE_SSNS.has(area + group + serial);
}

export const PII_RULES: readonly PiiRule[] = [
  {
    id: 'pii-email',
    title: 'E-mail addresses',
    severity: 'medium',
    classification: 'confidential',
    category: 'pii',
    description: 'Personal e-mail addresses in notebook outputs or data files (example and service addresses excluded).',
    pattern: /(?<![A-Za-z0-9._%+-])([A-Za-z0-9][A-Za-z0-9._%+-]{0,63})@([A-Za-z0-9][A-Za-z0-9-]{0,62}\.[A-Za-z0-9.-]{2,190})(?![A-Za-z0-9-])/g,
    accept: (m, text) => {
      // user:password@host inside a URL is a credential, not an address: look back over the token.
      const token = /[^\s"'<>()[\]{},]{0,256}$/.exec(text.slice(Math.max(0, m.index - 256), m.index))?.[0] ?? '';
      if (token.includes('://')) return undefined;
      const local = m[1] as string;
      const domain = (m[2] as string).replace(/\.+$/, '');
      if (domain.includes('..') || local.endsWith('.')) return undefined;
      const tld = domain.slice(domain.lastIndexOf('.') + 1);
      if (!/^[A-Za-z]{2,24}$/.test(tld) || FILE_EXTENSIONS.has(tld.toLowerCase())) return undefined;
      if (EXAMPLE_DOMAINS.test(domain) || SERVICE_LOCAL_PARTS.has(local.toLowerCase())) return undefined;
      return `${local}@${domain}`;
    },
  },
  {
    id: 'pii-phone',
    title: 'Phone numbers',
    severity: 'medium',
    classification: 'confidential',
    category: 'pii',
    description: 'Formatted phone numbers: North American (NXX-NXX-XXXX with separators) or international (+CC …).',
    pattern:
      /(?<![\w+.-])(?:(?:\+?1[ .-]?)?\(?([2-9][0-9]{2})\)?[ .-]([2-9][0-9]{2})[ .-]([0-9]{4})|\+([1-9][0-9]{0,2})[ .-]?([0-9][0-9 .-]{6,16}[0-9]))(?![\w.-])/g,
    accept: (m) => {
      if (m[1] !== undefined) {
        if (m[2] === '555' && (m[3] as string).startsWith('01')) return undefined; // fictional range
        return m[0];
      }
      const rest = m[5] as string;
      if (/[ .-]{2}/.test(rest)) return undefined;
      const digits = ((m[4] as string) + rest).replace(/[^0-9]/g, '');
      return digits.length >= 8 && digits.length <= 15 ? m[0] : undefined;
    },
  },
  {
    id: 'pii-us-ssn',
    title: 'US Social Security numbers',
    severity: 'high',
    classification: 'restricted',
    category: 'pii',
    description: 'US Social Security numbers (AAA-GG-SSSS with valid area, group and serial).',
    pattern: /(?<![0-9-])([0-9]{3})-([0-9]{2})-([0-9]{4})(?![0-9-])/g,
    accept: (m) => (validSsn(m[1] as string, m[2] as string, m[3] as string) ? m[0] : undefined),
  },
  {
    id: 'pii-payment-card',
    title: 'Payment card numbers',
    severity: 'high',
    classification: 'restricted',
    category: 'payment',
    description: 'Payment card numbers (PANs) of a known brand that pass the Luhn check (published test numbers excluded).',
    pattern: /(?<![0-9A-Za-z-])([3-6][0-9]{3}[ -]?[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{1,7}|3[0-9]{3}[ -][0-9]{6}[ -][0-9]{4,5})(?![0-9A-Za-z-])/g,
    accept: (m) => (validCard(m[1] as string) ? (m[1] as string) : undefined),
  },
  {
    id: 'pii-iban',
    title: 'IBANs',
    severity: 'high',
    classification: 'confidential',
    category: 'financial',
    description: 'International bank account numbers with the right length for their country and a valid mod-97 checksum.',
    pattern: /(?<![A-Za-z0-9])([A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}|[A-Z]{2}[0-9]{2} [A-Z0-9]{4} [A-Z0-9]{4} [A-Z0-9 ]{3,27}[A-Z0-9])(?![A-Za-z0-9])/g,
    accept: (m) => {
      // A spaced IBAN may have swallowed a following upper-case word: drop trailing groups until valid.
      const groups = (m[1] as string).split(' ');
      for (let n = groups.length; n >= 1; n -= 1) {
        const candidate = groups.slice(0, n).join(' ');
        if (validIban(candidate)) return candidate;
      }
      return undefined;
    },
  },
  {
    id: 'pii-date-of-birth',
    title: 'Dates of birth',
    severity: 'medium',
    classification: 'confidential',
    category: 'pii',
    description: 'A date labelled as a date of birth, with a name field nearby.',
    pattern:
      /(?:\bdob|date[ _-]?of[ _-]?birth|birth[ _-]?date|birthdate|birthday|born[ _-]on)["']?[ \t]{0,3}[:=,][ \t]{0,3}["']?([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2,4})(?![0-9])/gi,
    accept: (m, text) => (plausibleDate(m[1] as string) && near(text, m.index, NAME_NEARBY) ? (m[1] as string) : undefined),
  },
  {
    id: 'pii-medical-record-number',
    title: 'Medical record numbers',
    severity: 'high',
    classification: 'restricted',
    category: 'phi',
    description: 'A value labelled as a medical record number (MRN).',
    pattern:
      /(?:\bmrn|medical[ _-]?record(?:[ _-]?(?:number|no|num|id))?)["']?[ \t]{0,3}[:=#,][ \t]{0,3}["']?([A-Za-z0-9][A-Za-z0-9-]{4,14})(?![A-Za-z0-9-])/gi,
    accept: (m) => {
      const value = m[1] as string;
      return (value.match(/[0-9]/g)?.length ?? 0) >= 5 ? value : undefined;
    },
  },
  {
    id: 'pii-icd10-code',
    title: 'ICD-10 diagnosis codes',
    severity: 'high',
    classification: 'restricted',
    category: 'phi',
    description: 'An ICD-10 diagnosis code in a diagnosis field, with a patient identifier nearby.',
    pattern:
      /(?:\bicd[ _-]?(?:10)?(?:[ _-]?cm)?(?:[ _-]?code)?|diagnosis(?:[ _-]?code)?|\bdx(?:[ _-]?code)?)["']?[ \t]{0,3}[:=,][ \t]{0,3}["']?([A-TV-Z][0-9][0-9AB](?:\.[0-9A-TV-Z]{1,4})?)(?![A-Za-z0-9])/gi,
    accept: (m, text) => (near(text, m.index, PATIENT_NEARBY) ? (m[1] as string).toUpperCase() : undefined),
  },
];
