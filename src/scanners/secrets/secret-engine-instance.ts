// One compiled engine per thread: building the automaton takes a few milliseconds, so it is shared.
import { SecretEngine } from './detection-engine.js';
import { BUILTIN_SECRET_RULES } from './rules/index.js';

let instance: SecretEngine | undefined;

export function builtinEngine(): SecretEngine {
  instance ??= new SecretEngine(BUILTIN_SECRET_RULES);
  return instance;
}
