/**
 * Shared by every benchmark: machine facts and updating one section of docs/benchmarks.md
 * between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`, leaving the others alone.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export const BENCHMARKS_FILE = join(process.cwd(), 'docs', 'benchmarks.md');

const HEADER = `# Benchmarks

Every figure below was written by a benchmark script in \`bench/\`; each section names the command
that reproduces it, the machine and the date. Performance is measured here, not in timed tests.
`;

export function machineLine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}

export function updateBenchmarkSection(name: string, markdown: string): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  let text = existsSync(BENCHMARKS_FILE) ? readFileSync(BENCHMARKS_FILE, 'utf8') : HEADER;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a >= 0 && b > a) text = `${text.slice(0, a)}${block}${text.slice(b + end.length)}`;
  else text = `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(BENCHMARKS_FILE, text.endsWith('\n') ? text : `${text}\n`);
}

/** Peak resident memory of this process so far, in MiB (Linux VmHWM; maxRSS elsewhere). */
export function peakRssMiB(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    if (m) return Number(m[1]) / 1024;
  } catch (error) {
    // Not Linux: fall back to the runtime's figure below.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return process.resourceUsage().maxRSS / 1024;
}

export function fmt(n: number, digits = 2): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
