// Public surface of the reports module: render an assessment or a scan in one of five formats.
import { WardenError, describeError } from '../domain/index.js';
import { renderAssessmentHtml } from './html-assessment.js';
import { renderScanHtml } from './html-page.js';
import { renderAssessmentJson, renderScanJson } from './json-renderer.js';
import { renderAssessmentMarkdown, renderScanMarkdown } from './markdown-renderer.js';
import type { ReportDocument, ReportFormat, RenderOptions } from './report-types.js';
import { renderAssessmentSarif, renderScanSarif } from './sarif-renderer.js';
import { renderAssessmentTable, renderScanTable } from './table-renderer.js';

export { REPORT_FORMATS, isReportFormat } from './report-types.js';
export type { ReportFormat, ReportDocument, AssessmentDocument, ScanDocument, RenderOptions } from './report-types.js';
export { shouldUseColor } from './terminal-style.js';
export { jsonChunks, LazyList } from './json-chunks.js';
export { JSON_REPORT_SCHEMA_VERSION } from './json-renderer.js';
export { SARIF_SCHEMA_URI, SARIF_FINGERPRINT_KEY, WARDEN_INFORMATION_URI } from './sarif-renderer.js';
export { escapeHtml, escapeMarkdown, sanitizeTerminal } from './text-escape.js';

/**
 * Renders `doc` as `format`, as a sequence of text pieces to write one after another. Pure: no
 * I/O, so the caller decides where the text goes (stdout or `--out FILE`). JSON and SARIF come in
 * many small pieces, produced as they are consumed, so that the report of a very large
 * organisation never has to exist as one string (see json-chunks.ts). An unknown format (from an
 * untyped caller) throws USAGE; a failure while rendering throws REPORT_FAILED with the cause,
 * also when it happens while the pieces are being consumed.
 */
export function* renderReportChunks(doc: ReportDocument, format: ReportFormat, options: RenderOptions): Generator<string> {
  try {
    yield* renderPieces(doc, format, options);
  } catch (error) {
    if (error instanceof WardenError) throw error;
    throw new WardenError('REPORT_FAILED', `Could not render the ${format} report: ${describeError(error)}`, {
      cause: error,
      details: { format, kind: doc.kind },
    });
  }
}

/** Renders `doc` as `format` into one string: for reports known to be of modest size. */
export function renderReport(doc: ReportDocument, format: ReportFormat, options: RenderOptions): string {
  let text = '';
  for (const piece of renderReportChunks(doc, format, options)) text += piece;
  return text;
}

function renderPieces(doc: ReportDocument, format: ReportFormat, options: RenderOptions): Iterable<string> {
  switch (format) {
    case 'table':
      return [doc.kind === 'assessment' ? renderAssessmentTable(doc, options) : renderScanTable(doc, options)];
    case 'json':
      return doc.kind === 'assessment' ? renderAssessmentJson(doc, options) : renderScanJson(doc, options);
    case 'markdown':
      return [doc.kind === 'assessment' ? renderAssessmentMarkdown(doc, options) : renderScanMarkdown(doc, options)];
    case 'sarif':
      return doc.kind === 'assessment' ? renderAssessmentSarif(doc, options) : renderScanSarif(doc, options);
    case 'html':
      return [doc.kind === 'assessment' ? renderAssessmentHtml(doc, options) : renderScanHtml(doc, options)];
    default: {
      const unknown: never = format;
      throw new WardenError('USAGE', `Unknown report format: ${String(unknown)}`, { details: { format: unknown } });
    }
  }
}
