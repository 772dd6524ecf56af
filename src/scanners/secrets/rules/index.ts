// The built-in secret rules, in one list. Order does not matter: overlaps are settled by priority.
import type { SecretRule } from '../rule-types.js';
import { AI_RULES } from './ai-rules.js';
import { CLOUD_RULES } from './cloud-rules.js';
import { DEV_RULES } from './dev-rules.js';
import { GENERIC_RULES, genericInternals } from './generic-rules.js';
import { KEY_RULES, isTrivialPassword } from './key-rules.js';
import { SAAS_RULES } from './saas-rules.js';

export const BUILTIN_SECRET_RULES: readonly SecretRule[] = [
  ...AI_RULES,
  ...CLOUD_RULES,
  ...DEV_RULES,
  ...SAAS_RULES,
  ...KEY_RULES,
  ...GENERIC_RULES,
];

export { genericInternals, isTrivialPassword };
