/**
 * The public vocabulary of the reports module: which formats exist and what a renderer is given.
 * A report is a pure function of a document and options: no I/O, no clock, no network.
 */
import type { AssessmentResult, RuleDescriptor, ScanResult, Severity } from '../domain/index.js';

export const REPORT_FORMATS = ['table', 'json', 'markdown', 'sarif', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface AssessmentDocument {
  readonly kind: 'assessment';
  readonly result: AssessmentResult;
  /** Descriptors of the scanner rules (and optionally the controls) that findings refer to. */
  readonly rules?: readonly RuleDescriptor[];
}

export interface ScanDocument {
  readonly kind: 'scan';
  readonly scanner: string;
  /** One result per scanned target, all from the same scanner. */
  readonly results: readonly ScanResult[];
  readonly rules: readonly RuleDescriptor[];
  /** The `--fail-on` threshold in force, shown in the report so a reader knows why it failed. */
  readonly failOn?: Severity;
}

export type ReportDocument = AssessmentDocument | ScanDocument;

export interface RenderOptions {
  /** ANSI colour in the table format; every other format ignores it. */
  readonly color: boolean;
  /** Warden's version, written into SARIF and JSON so a report says what produced it. */
  readonly toolVersion: string;
  /** Terminal width for the table format (columns); defaults to 100. */
  readonly width?: number;
}

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}
