/**
 * Rendering a report and sending it where the user asked: standard output, or a file written
 * atomically with a one-line note on standard error.
 */
import { renderReportChunks, shouldUseColor } from '../reports/index.js';
import type { ReportDocument } from '../reports/index.js';
import { writeFileAtomic } from './cli-io.js';
import type { CliIO } from './cli-io.js';
import type { ReportFlags } from './cli-options.js';
import { toolVersion } from './tool-version.js';

export async function emitReport(io: CliIO, doc: ReportDocument, flags: ReportFlags): Promise<void> {
  const toFile = flags.out !== undefined;
  const color = !toFile && flags.format === 'table' && shouldUseColor(io.stdout, io.env);
  const pieces = newlineTerminated(
    renderReportChunks(doc, flags.format, {
      color,
      toolVersion: toolVersion(),
      ...(io.stdout.columns !== undefined && { width: io.stdout.columns }),
    }),
  );
  if (flags.out !== undefined) {
    await writeFileAtomic(flags.out, pieces);
    if (!flags.quiet) io.stderr.write(`warden: wrote ${flags.format} report to ${flags.out}\n`);
  } else {
    for (const piece of pieces) io.stdout.write(piece);
  }
}

/** The pieces, with a final newline added when the last one lacks it. */
function* newlineTerminated(pieces: Iterable<string>): Generator<string> {
  let last = '';
  for (const piece of pieces) {
    if (piece.length > 0) last = piece;
    yield piece;
  }
  if (!last.endsWith('\n')) yield '\n';
}
