// Shared helpers for the iac scanner tests: scan files or folders, and find the line of a marker.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ScanContext, ScanResult, Workspace } from '../../../src/domain/index.js';
import { iacScanner } from '../../../src/scanners/iac/index.js';
import { projectRoot } from '../../helpers/paths.js';

export const fixturesRoot = join(projectRoot, 'test', 'fixtures', 'iac');

export interface ScanOptions {
  readonly requireCustomerManagedKeys?: boolean;
  readonly requireAuditLogging?: boolean;
  readonly workspace?: Workspace;
}

/** Scans `paths` (files or folders) with the folder of the first one as the root. */
export async function scan(paths: readonly string[], options: ScanOptions = {}, root?: string): Promise<ScanResult> {
  const context: ScanContext = {
    options: {
      requireCustomerManagedKeys: options.requireCustomerManagedKeys,
      requireAuditLogging: options.requireAuditLogging,
    },
    ...(options.workspace !== undefined && { workspace: options.workspace }),
  };
  return iacScanner.scan({ root: root ?? dirname(paths[0] as string), inputs: paths }, context);
}

/** 1-based line where `marker` (which may span lines) first starts in `file`. */
export function lineOf(file: string, marker: string): number {
  const text = readFileSync(file, 'utf8');
  const index = text.indexOf(marker);
  if (index < 0) throw new Error(`marker ${JSON.stringify(marker)} not in ${file}`);
  return text.slice(0, index).split('\n').length;
}

export function workspaceWith(policy: NonNullable<Workspace['organisation']['policy']>): Workspace {
  return {
    version: 1,
    organisation: { name: 'Acme AI', headcount: 20, regimes: [], policy },
    clients: [],
    people: [],
    assets: [],
    attestations: [],
    exceptions: [],
  };
}
