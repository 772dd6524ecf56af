/**
 * Options shared by every command that reports findings: --format, --out, --fail-on, --quiet.
 */
import { Option } from 'commander';
import type { Command } from 'commander';
import { SEVERITIES, WardenError, atOrAbove, isSeverity } from '../domain/index.js';
import type { Finding, Severity } from '../domain/index.js';
import { REPORT_FORMATS, isReportFormat } from '../reports/index.js';
import type { ReportFormat } from '../reports/index.js';

export interface ReportFlags {
  readonly format: ReportFormat;
  readonly out?: string;
  readonly failOn?: Severity;
  readonly quiet: boolean;
}

export function addReportOptions(command: Command, defaultFailOn: Severity | 'none'): Command {
  return command
    .addOption(new Option('-f, --format <format>', 'output format').choices([...REPORT_FORMATS]).default('table'))
    .option('-o, --out <file>', 'write the report to FILE instead of standard output')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding is at or above SEVERITY (or none)')
        .choices([...SEVERITIES, 'none'])
        .default(defaultFailOn),
    )
    .option('-q, --quiet', 'no progress or summary lines on standard error', false);
}

export function readReportFlags(opts: Record<string, unknown>): ReportFlags {
  const format = String(opts['format'] ?? 'table');
  if (!isReportFormat(format)) throw new WardenError('USAGE', `Unknown format "${format}". Use one of: ${REPORT_FORMATS.join(', ')}.`);
  const failOnRaw = String(opts['failOn'] ?? 'none');
  let failOn: Severity | undefined;
  if (failOnRaw !== 'none') {
    if (!isSeverity(failOnRaw)) throw new WardenError('USAGE', `Unknown severity "${failOnRaw}" for --fail-on.`);
    failOn = failOnRaw;
  }
  const out = typeof opts['out'] === 'string' ? opts['out'] : undefined;
  return { format, quiet: opts['quiet'] === true, ...(out !== undefined && { out }), ...(failOn !== undefined && { failOn }) };
}

export function breaches(findings: readonly Finding[], failOn: Severity | undefined): number {
  if (failOn === undefined) return 0;
  return findings.filter((f) => atOrAbove(f.severity, failOn)).length;
}
