/** Private keys, tokens with a structure (JWT) and credentials embedded in connection strings. */
import type { SecretRule } from '../rule-types.js';
import { decodeBase64, isPrintableAscii, shannonEntropy } from '../validators.js';

/** Base64 characters of a PEM body, ignoring line breaks, headers and JSON `\n` escapes. */
function pemBase64(body: string): string {
  return body
    .replace(/\\[rn]/g, '\n')
    .split('\n')
    .filter((line) => !line.includes(':'))
    .join('')
    .replace(/[^A-Za-z0-9+/=]/g, '');
}

function pemBodyLooksReal(body: string): boolean {
  const b64 = pemBase64(body);
  return b64.length >= 64 && shannonEntropy(b64) >= 4.5;
}

/** OpenSSH keys say in their binary header whether they are encrypted ("none" = not). */
function opensshCipher(body: string): string | undefined {
  const bytes = decodeBase64(pemBase64(body).replace(/=+$/, ''));
  if (bytes === undefined || bytes.length < 19) return undefined;
  const magic = 'openssh-key-v1\0';
  if (bytes.subarray(0, magic.length).toString('latin1') !== magic) return undefined;
  const len = bytes.readUInt32BE(magic.length);
  if (len > 64 || magic.length + 4 + len > bytes.length) return undefined;
  return bytes.subarray(magic.length + 4, magic.length + 4 + len).toString('latin1');
}

const KEY_REMEDIATION =
  'Treat the key as compromised: revoke or replace it everywhere it is trusted (authorized_keys, certificates, ' +
  'deploy keys), remove it from the repository and its history, and keep private keys in a secrets manager or HSM.';

// The body class never contains "-----", so a body ends at the first dash run: linear scanning.
const PEM_BODY = '((?:[A-Za-z0-9+/=:,. \\t\\r\\n\\\\]|-(?!----)){64,12000})';

export const KEY_RULES: readonly SecretRule[] = [
  {
    id: 'private-key',
    title: 'Private key (PEM)',
    severity: 'critical',
    description: 'PEM-encoded RSA, EC, DSA or PKCS#8 private key (encrypted keys are reported as medium).',
    keywords: ['private key-----'],
    mode: 'window',
    before: 40,
    after: 12100,
    pattern: new RegExp(
      `-----BEGIN ((?:RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY)-----${PEM_BODY}-----END (?:RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY-----`,
      'g',
    ),
    secretGroup: 2,
    prefixLength: 0,
    noPlaceholderCheck: true,
    check: pemBodyLooksReal,
    severityOf: (secret, ctx) =>
      ctx.match[1] === 'ENCRYPTED PRIVATE KEY' || secret.includes('Proc-Type: 4,ENCRYPTED') ? 'medium' : 'critical',
    detailOf: (_s, ctx) => `(${ctx.match[1] ?? 'PRIVATE KEY'})`,
    remediation: KEY_REMEDIATION,
  },
  {
    id: 'openssh-private-key',
    title: 'OpenSSH private key',
    severity: 'critical',
    description: 'OpenSSH-format private key (passphrase-protected keys are reported as medium).',
    keywords: ['openssh private key-----'],
    mode: 'window',
    before: 40,
    after: 12100,
    pattern: new RegExp(`-----BEGIN OPENSSH PRIVATE KEY-----${PEM_BODY}-----END OPENSSH PRIVATE KEY-----`, 'g'),
    secretGroup: 1,
    prefixLength: 0,
    noPlaceholderCheck: true,
    check: pemBodyLooksReal,
    severityOf: (secret) => {
      const cipher = opensshCipher(secret);
      return cipher !== undefined && cipher !== 'none' ? 'medium' : 'critical';
    },
    remediation: KEY_REMEDIATION,
  },
  {
    id: 'pgp-private-key',
    title: 'PGP private key block',
    severity: 'critical',
    description: 'ASCII-armoured OpenPGP private (secret) key block.',
    keywords: ['pgp private key block-----'],
    mode: 'window',
    before: 40,
    after: 20100,
    pattern: /-----BEGIN PGP PRIVATE KEY BLOCK-----((?:[A-Za-z0-9+/=:,. \t\r\n\\]|-(?!----)){64,20000})-----END PGP PRIVATE KEY BLOCK-----/g,
    secretGroup: 1,
    prefixLength: 0,
    noPlaceholderCheck: true,
    check: pemBodyLooksReal,
    remediation: KEY_REMEDIATION,
  },
  {
    id: 'putty-private-key',
    title: 'PuTTY private key',
    severity: 'critical',
    description: 'PuTTY .ppk private key (keys with Encryption other than none are reported as medium).',
    keywords: ['putty-user-key-file-'],
    mode: 'anchored',
    before: 8,
    after: 12000,
    pattern:
      /PuTTY-User-Key-File-[23]: [a-z0-9@.-]{3,60}\r?\nEncryption: ([a-z0-9-]{3,30})\r?\n[^\0]{0,3000}?Private-Lines: [0-9]{1,3}\r?\n([A-Za-z0-9+/=\r\n]{40,8000})/y,
    secretGroup: 2,
    prefixLength: 0,
    noPlaceholderCheck: true,
    check: pemBodyLooksReal,
    severityOf: (_s, ctx) => (ctx.match[1] === 'none' ? 'critical' : 'medium'),
    remediation: KEY_REMEDIATION,
  },
  {
    id: 'jwt',
    title: 'JSON Web Token',
    severity: 'medium',
    description: 'A signed JSON Web Token: often a live session or API credential until it expires.',
    keywords: ['eyj'],
    mode: 'anchored',
    before: 8,
    after: 9100,
    pattern: /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{8,2000}\.eyJ[A-Za-z0-9_-]{8,6000}\.[A-Za-z0-9_-]{16,1000})(?![A-Za-z0-9_-])/y,
    secretGroup: 1,
    prefixLength: 3,
    check: (secret) => {
      const header = decodeBase64(secret.slice(0, secret.indexOf('.')));
      if (header === undefined || !isPrintableAscii(header)) return false;
      try {
        const parsed: unknown = JSON.parse(header.toString('latin1'));
        return typeof parsed === 'object' && parsed !== null && 'alg' in parsed;
      } catch (error) {
        // Not JSON: a base64 run that merely starts with "eyJ" is not a token.
        if (error instanceof SyntaxError) return false;
        throw error;
      }
    },
    remediation: 'Invalidate the token (rotate the signing key if it is long-lived) and never commit session or API tokens.',
  },
  {
    id: 'database-uri-password',
    title: 'Database connection string with password',
    severity: 'high',
    description: 'A database or broker URI (postgres, mysql, mongodb, redis, amqp, mssql …) with an embedded password.',
    keywords: [
      'postgres',
      'mysql',
      'mariadb',
      'mongodb',
      'redis',
      'amqp',
      'mssql',
      'sqlserver',
      'oracle',
      'cockroachdb',
      'clickhouse',
      'couchdb',
      'neo4j',
      'bolt://',
      'ldap',
      'snowflake',
      'memcached',
      'elasticsearch',
    ],
    mode: 'anchored',
    before: 8,
    after: 700,
    pattern:
      /(?<![A-Za-z0-9])(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|cockroachdb|clickhouse|couchdb|neo4j(?:\+s|\+ssc)?|bolt|ldaps?|snowflake|memcached|elasticsearch)(?:\+[a-z0-9]{1,20})?:\/\/([^\s:/@"'<>]{0,128}):([^\s/@"'<>]{1,256})@[A-Za-z0-9.\-_[\]%]{1,253}/iy,
    secretGroup: 2,
    prefixLength: 0,
    check: (secret) => !isTrivialPassword(secret),
    remediation: 'Change the database password now, and build the connection string at run time from a secret store (or use IAM / managed-identity authentication).',
  },
  {
    id: 'jdbc-password',
    title: 'JDBC URL with password',
    severity: 'high',
    description: 'A JDBC connection URL with a password= parameter.',
    keywords: ['jdbc:'],
    mode: 'anchored',
    before: 8,
    after: 500,
    pattern: /jdbc:[a-z0-9]{2,20}:[^\s"'<>]{0,300}?[;?&:]password=([^;&\s"'<>]{3,128})/iy,
    secretGroup: 1,
    prefixLength: 0,
    check: (secret) => !isTrivialPassword(secret),
  },
  {
    id: 'url-credentials',
    title: 'Credentials in URL',
    severity: 'high',
    description: 'An http(s)/ftp URL with user:password@ credentials (git remotes, package indexes, webhooks).',
    keywords: ['http://', 'https://', 'ftp://', 'ftps://'],
    mode: 'anchored',
    before: 8,
    after: 700,
    pattern: /(?:https?|ftps?):\/\/([^\s:/@"'<>]{1,128}):([^\s/@"'<>]{3,256})@[A-Za-z0-9.-]{1,253}/iy,
    secretGroup: 2,
    prefixLength: 0,
    priority: 6,
    check: (secret) => !isTrivialPassword(secret),
  },
];

const TRIVIAL_PASSWORDS = new Set([
  'password',
  'passwd',
  'pass',
  'pwd',
  'secret',
  'changeme',
  'change_me',
  'admin',
  'root',
  'postgres',
  'mysql',
  'guest',
  'user',
  'test',
  'example',
  'pw',
  'mypassword',
  'yourpassword',
  'dbpass',
  'default',
  'token',
  'xxx',
]);

/** Passwords that only ever appear as examples or local defaults (case-insensitive). */
export function isTrivialPassword(secret: string): boolean {
  return TRIVIAL_PASSWORDS.has(secret.toLowerCase());
}
