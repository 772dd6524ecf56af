/**
 * The one error catalogue of Warden. Every error we raise on purpose is a WardenError with a stable
 * `code` from this table. The CLI turns the code's `kind` into an exit code and the server into an
 * HTTP status; the `publicMessage` is what a remote caller may see (details can name files and
 * hosts, which the server only logs).
 */

export type ErrorKind =
  | 'usage' // the caller's words are wrong: flags, arguments
  | 'input' // a file or document the caller gave us is invalid
  | 'not-found'
  | 'conflict'
  | 'refused' // a policy or gate said no (scope, deployment gate)
  | 'unavailable' // a dependency (database, network peer) did not answer
  | 'internal';

export interface ErrorSpec {
  readonly kind: ErrorKind;
  readonly publicMessage: string;
}

export const ERROR_CATALOGUE = {
  USAGE: { kind: 'usage', publicMessage: 'The request is malformed.' },
  WORKSPACE_NOT_FOUND: { kind: 'not-found', publicMessage: 'No workspace was found.' },
  WORKSPACE_INVALID: { kind: 'input', publicMessage: 'The workspace file is invalid.' },
  WORKSPACE_EXISTS: { kind: 'conflict', publicMessage: 'A workspace file already exists.' },
  CATALOG_INVALID: { kind: 'internal', publicMessage: 'The control catalog is invalid.' },
  INPUT_INVALID: { kind: 'input', publicMessage: 'The input is invalid.' },
  INPUT_NOT_FOUND: { kind: 'not-found', publicMessage: 'The input was not found.' },
  SCANNER_UNKNOWN: { kind: 'usage', publicMessage: 'No such scanner.' },
  SCANNER_DUPLICATE: { kind: 'internal', publicMessage: 'A scanner was registered twice.' },
  SCAN_FAILED: { kind: 'internal', publicMessage: 'A scan failed.' },
  SCAN_LIMIT: { kind: 'input', publicMessage: 'A scan limit was exceeded.' },
  STORE_UNAVAILABLE: { kind: 'unavailable', publicMessage: 'The database is unavailable.' },
  STORE_MIGRATION: { kind: 'internal', publicMessage: 'The database schema could not be migrated.' },
  STORE_CONFIG: { kind: 'usage', publicMessage: 'The database configuration is invalid.' },
  RUN_NOT_FOUND: { kind: 'not-found', publicMessage: 'No such assessment run.' },
  RUN_EXISTS: { kind: 'conflict', publicMessage: 'The assessment run is already stored.' },
  SCOPE_REFUSED: { kind: 'refused', publicMessage: 'The target is out of scope.' },
  GATE_REFUSED: { kind: 'refused', publicMessage: 'The action was refused by policy.' },
  SIGNATURE_INVALID: { kind: 'refused', publicMessage: 'The signature did not verify.' },
  MODEL_NOT_FOUND: { kind: 'not-found', publicMessage: 'No such model version.' },
  MODEL_EXISTS: { kind: 'conflict', publicMessage: 'The model version is already registered.' },
  NETWORK: { kind: 'unavailable', publicMessage: 'A network peer did not answer.' },
  REPORT_FAILED: { kind: 'internal', publicMessage: 'The report could not be written.' },
  INTERNAL: { kind: 'internal', publicMessage: 'Internal error.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface WardenErrorOptions {
  readonly cause?: unknown;
  /** Structured detail for logs and machine output (file, line, field …). Never shown remotely. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export class WardenError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: WardenErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WardenError';
    this.code = code;
    this.details = options.details ?? {};
  }

  get kind(): ErrorKind {
    return ERROR_CATALOGUE[this.code].kind;
  }

  get publicMessage(): string {
    return ERROR_CATALOGUE[this.code].publicMessage;
  }
}

export function isWardenError(value: unknown): value is WardenError {
  return value instanceof WardenError;
}

/** The message of anything thrown, for wrapping foreign errors as a cause. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
