// Public surface of the secrets scanner module.
export { secretsScanner, SECRET_RULE_DESCRIPTORS, parseOptions } from './secrets-scanner.js';
export { SecretEngine, secretHash } from './detection-engine.js';
export type { RawFinding, StreamResult } from './detection-engine.js';
export { builtinEngine } from './secret-engine-instance.js';
export { BUILTIN_SECRET_RULES, genericInternals } from './rules/index.js';
export type { SecretRule, TextKind, CheckContext } from './rule-types.js';
export { KeywordAutomaton } from './keyword-automaton.js';
export { maskSecret, revealedCount, applyMasks } from './masking.js';
export {
  shannonEntropy,
  hasValidCrc32Base62Checksum,
  base62,
  luhnValid,
  ibanChecksumValid,
  isPlaceholder,
} from './validators.js';
export { PII_RULES, validCard, validIban, validSsn, plausibleDate } from './pii-rules.js';
export { PiiStream, splitDelimited } from './pii-scanner.js';
export type { PiiAggregate } from './pii-scanner.js';
export { scanFile, looksBinary, looksGenerated, textKindFor } from './file-scanner.js';
export type { FileReport } from './file-scanner.js';
export { scanNotebook, stripAnsi } from './notebook-scanner.js';
export { parseJsonWithLines } from './json-positions.js';
export { loadSecretsConfig, globToRegExp, readBaseline, writeBaseline } from './secrets-config.js';
export type { SecretsConfig } from './secrets-config.js';
