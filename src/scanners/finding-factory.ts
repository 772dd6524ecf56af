/**
 * Building findings the same way in every scanner: normalised paths and a stable fingerprint.
 *
 * The fingerprint deliberately leaves out line numbers, so that a baseline keeps matching when
 * code above a finding moves. Scanners pass a `key` that identifies *what* was found (the masked
 * secret's hash, the imported `module.name`, the resource address) instead.
 */
import { createHash } from 'node:crypto';
import type { Finding, FindingLocation, Severity } from '../domain/index.js';

export interface FindingInput {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly location: FindingLocation;
  readonly source: string;
  readonly asset?: string;
  readonly evidence?: string;
  readonly remediation?: string;
  readonly controls?: readonly string[];
  readonly properties?: Readonly<Record<string, string | number | boolean>>;
  /** What identifies this finding apart from where it is; defaults to the message. */
  readonly key?: string;
}

export function fingerprintOf(parts: readonly (string | undefined)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(part ?? '');
    hash.update('\u0000');
  }
  return hash.digest('hex').slice(0, 32);
}

export function normalisePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.\//, '');
}

export function createFinding(input: FindingInput): Finding {
  const location: FindingLocation = { ...input.location, path: normalisePath(input.location.path) };
  const fingerprint = fingerprintOf([
    input.source,
    input.ruleId,
    input.asset,
    location.path,
    location.member,
    input.key ?? input.message,
  ]);
  const finding: Finding = {
    ruleId: input.ruleId,
    severity: input.severity,
    message: input.message,
    location,
    source: input.source,
    fingerprint,
    ...(input.asset !== undefined && { asset: input.asset }),
    ...(input.evidence !== undefined && { evidence: input.evidence }),
    ...(input.remediation !== undefined && { remediation: input.remediation }),
    ...(input.controls !== undefined && input.controls.length > 0 && { controls: [...input.controls] }),
    ...(input.properties !== undefined && { properties: { ...input.properties } }),
  };
  return finding;
}
