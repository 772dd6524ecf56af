/**
 * The contract between a scanner and everything that runs it (the `warden scan` command, the
 * assessment engine, later the job queue). A scanner turns input into findings; it never executes
 * what it scans, and must bound its own time and memory on hostile input.
 */
import type { Finding, RuleDescriptor } from './finding.js';
import type { Asset, Workspace } from './workspace.js';

/** What to scan: file-system paths, or network targets for probes. */
export interface ScanTarget {
  /** Root that finding paths are relative to. */
  readonly root: string;
  /** Paths (files or folders) or targets (URL, host:port) to scan. */
  readonly inputs: readonly string[];
  /** The workspace asset this target belongs to, when the engine runs the scanner for an asset. */
  readonly asset?: string;
}

export interface ScanProgress {
  readonly done: number;
  readonly total?: number;
  readonly current?: string;
}

export interface ScanContext {
  readonly workspace?: Workspace;
  /** Folder holding warden.yaml, when a workspace is loaded. */
  readonly workspaceDir?: string;
  readonly signal?: AbortSignal;
  /** Scanner-specific options, already parsed from the command line (camelCased flag names). */
  readonly options: Readonly<Record<string, string | boolean | number | readonly string[] | undefined>>;
  readonly onProgress?: (progress: ScanProgress) => void;
}

/** An input that could not be scanned: never reported as clean. */
export interface Unscannable {
  readonly path: string;
  readonly reason: string;
}

export interface ScanResult {
  readonly scanner: string;
  readonly findings: readonly Finding[];
  /** Inputs that were fully examined. */
  readonly scanned: number;
  readonly unscannable: readonly Unscannable[];
  /** Scanner-specific figures (bytes read, files skipped …). */
  readonly stats?: Readonly<Record<string, number>>;
  readonly startedAt: string;
  readonly durationMs: number;
}

export interface ScannerOption {
  /** Commander-style flags, e.g. `--history` or `--baseline <file>`. */
  readonly flags: string;
  readonly description: string;
  readonly defaultValue?: string | boolean;
}

export interface Scanner {
  /** Short name used on the command line: `warden scan NAME`. */
  readonly name: string;
  readonly description: string;
  /** The evidence kind this scanner provides to the catalog (e.g. `scan:secrets`). */
  readonly evidenceKind: string;
  readonly rules: readonly RuleDescriptor[];
  readonly options?: readonly ScannerOption[];
  /** Default `--fail-on` threshold for `warden scan NAME`. */
  readonly defaultFailOn?: 'critical' | 'high' | 'medium' | 'low' | 'info';
  /**
   * Which inputs this scanner should examine for an asset in an assessment, or undefined when
   * the asset gives it nothing to scan. `location` paths are resolved against the workspace folder.
   */
  targetFor(asset: Asset, workspaceDir: string): ScanTarget | undefined;
  scan(target: ScanTarget, context: ScanContext): Promise<ScanResult>;
}
