/**
 * Exit codes, stable for CI: 0 ok; 1 findings at or above --fail-on, or a security gate said no
 * (verification failed, promotion refused); 2 usage or input error; 3 a dependency (database,
 * network peer) was unavailable; 70 an internal error (a bug: please report it).
 */
import type { ErrorKind } from '../domain/index.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
export const EXIT_UNAVAILABLE = 3;
export const EXIT_INTERNAL = 70;

const BY_KIND: Readonly<Record<ErrorKind, number>> = {
  usage: EXIT_USAGE,
  input: EXIT_USAGE,
  'not-found': EXIT_USAGE,
  conflict: EXIT_USAGE,
  refused: EXIT_FINDINGS,
  unavailable: EXIT_UNAVAILABLE,
  internal: EXIT_INTERNAL,
};

export function exitCodeFor(kind: ErrorKind): number {
  return BY_KIND[kind];
}
