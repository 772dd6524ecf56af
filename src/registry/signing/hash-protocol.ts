/** Messages between the hash pool and its worker threads (structured-clone safe, no classes). */

export interface HashTask {
  readonly path: string;
  /** First byte to hash. */
  readonly start: number;
  /** One past the last byte to hash, or null to hash to the end of the file. */
  readonly end: number | null;
  readonly followSymlinks: boolean;
}

export interface HashRequest {
  readonly batch: number;
  readonly tasks: readonly HashTask[];
  readonly chunkSize?: number;
}

export type HashOutcome =
  | { readonly ok: true; readonly digestHex: string; readonly bytes: number }
  | { readonly ok: false; readonly reason: string };

export interface HashResponse {
  readonly batch: number;
  readonly outcomes: readonly HashOutcome[];
}
