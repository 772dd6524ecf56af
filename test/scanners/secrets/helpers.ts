// Shared helpers for the secrets scanner tests.
import { builtinEngine } from '../../../src/scanners/secrets/index.js';
import type { RawFinding, TextKind } from '../../../src/scanners/secrets/index.js';

export function detect(text: string, kind: TextKind = 'config'): RawFinding[] {
  return [...builtinEngine().scanText(text, kind).findings];
}

export function ruleIds(text: string, kind: TextKind = 'config'): string[] {
  return detect(text, kind).map((f) => f.ruleId.replace(/^secrets\//, ''));
}
