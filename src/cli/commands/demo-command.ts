/**
 * `warden demo` (what `npm start` runs): the one-day assessment of the bundled Northwind AI
 * workspace, printed as a table, written to report.html and kept in the workspace's database.
 */
import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { renderReport } from '../../reports/index.js';
import { writeFileAtomic } from '../cli-io.js';
import { ensureDemoNotebook } from '../demo/index.js';
import type { CliIO } from '../cli-io.js';
import { EXIT_OK } from '../exit-codes.js';
import { emitReport } from '../report-output.js';
import { packageRoot, toolVersion } from '../tool-version.js';
import { runAssessment, storeLocation, summaryLine } from './assess-command.js';

export function registerDemoCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('demo')
    .description('assess the bundled Northwind AI demo workspace and write report.html (what `npm start` runs)')
    .option('--out <file>', 'where to write the HTML report', 'report.html')
    .option('--no-scan', 'do not run scanners')
    .action(async (opts: Record<string, unknown>) => {
      const dir = join(packageRoot(), 'examples', 'northwind-ai');
      const out = String(opts['out'] ?? 'report.html');
      // The repository's leaking notebook carries random credentials made now, never committed.
      try {
        const written = await ensureDemoNotebook(dir);
        if (written !== undefined) io.stderr.write(`warden: wrote the demo's leaking notebook (fresh fake credentials): ${written}\n`);
      } catch (error) {
        io.stderr.write(`warden: warning: could not write the demo notebook (${error instanceof Error ? error.message : String(error)}); the notebook leak will not be shown\n`);
      }
      const { result } = await runAssessment(io, dir, { scan: opts['scan'] !== false, store: true, quiet: false });
      await emitReport(io, { kind: 'assessment', result }, { format: 'table', quiet: false });
      const html = renderReport({ kind: 'assessment', result }, 'html', { color: false, toolVersion: toolVersion() });
      await writeFileAtomic(resolve(io.cwd, out), html);
      io.stderr.write(summaryLine(result));
      io.stderr.write(`warden: HTML report: ${resolve(io.cwd, out)}\n`);
      io.stderr.write(`warden: run kept in ${storeLocation(io, dir)}; see 'warden history -w ${dir}'\n`);
      setExit(EXIT_OK);
    });
}
