/**
 * `npm run bench:model-hash`: hashing throughput of model signing (streaming SHA-256 in worker
 * threads, `files` serialization) on a generated model folder of 4 × 512 MiB, page cache warm,
 * against `openssl dgst -sha256` on the same files in the same run. OpenSSL uses the CPU's SHA
 * extensions, so it is the physical anchor for one core (coreutils sha256sum is slower and would
 * flatter us). Each of our runs is a fresh child process so its peak RSS (VmHWM, worker threads
 * included) is its own. Targets: ≥ 0.9× OpenSSL with 1 worker, ≥ 1.6× with 2, peak < 256 MiB.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeManifest, walkModel } from '../src/registry/index.js';
import { fmt, machineLine, peakRssMiB, updateBenchmarkSection } from './bench-report.js';

const FILES = 4;
const FILE_BYTES = 512 * 1024 * 1024;
const RUNS = 5;

interface ChildFigures {
  readonly seconds: number;
  readonly bytes: number;
  readonly peakMiB: number;
}

async function child(dir: string, workers: number): Promise<void> {
  // Sample RSS while hashing too: VmHWM is the kernel's peak, the samples show it is not a spike.
  let sampled = 0;
  const timer = setInterval(() => {
    sampled = Math.max(sampled, process.memoryUsage().rss);
  }, 20);
  const start = performance.now();
  const listing = await walkModel(dir, { ignorePaths: [], allowSymlinks: false });
  const manifest = await computeManifest(listing, { method: 'files', hashType: 'sha256', allowSymlinks: false }, { workers });
  const seconds = (performance.now() - start) / 1000;
  clearInterval(timer);
  const figures: ChildFigures = { seconds, bytes: manifest.totalBytes, peakMiB: Math.max(peakRssMiB(), sampled / 2 ** 20) };
  process.stdout.write(JSON.stringify(figures));
}

function generate(dir: string): void {
  const block = Buffer.allocUnsafe(16 * 1024 * 1024);
  for (let f = 0; f < FILES; f += 1) {
    const fd = openSync(join(dir, `model-${String(f).padStart(5, '0')}-of-${FILES}.safetensors`), 'w');
    for (let written = 0; written < FILE_BYTES; written += block.length) {
      randomFillSync(block);
      writeSync(fd, block);
    }
    closeSync(fd);
  }
}

function warm(dir: string): void {
  const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
  for (let f = 0; f < FILES; f += 1) {
    const fd = openSync(join(dir, `model-${String(f).padStart(5, '0')}-of-${FILES}.safetensors`), 'r');
    while (readSync(fd, buffer, 0, buffer.length, null) > 0);
    closeSync(fd);
  }
}

function modelFiles(dir: string): string[] {
  return Array.from({ length: FILES }, (_, f) => join(dir, `model-${String(f).padStart(5, '0')}-of-${FILES}.safetensors`));
}

function opensslSeconds(dir: string): number {
  const files = modelFiles(dir);
  const start = performance.now();
  const result = spawnSync('openssl', ['dgst', '-sha256', ...files], { encoding: 'utf8' });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`);
  return seconds;
}

/** Two openssl processes, half the files each: what this machine's two cores can do at best. */
async function opensslParallelSeconds(dir: string): Promise<number> {
  const files = modelFiles(dir);
  const halves = [files.slice(0, FILES / 2), files.slice(FILES / 2)];
  const start = performance.now();
  await Promise.all(
    halves.map(
      (half) =>
        new Promise<void>((resolveRun, rejectRun) => {
          const proc = spawn('openssl', ['dgst', '-sha256', ...half], { stdio: 'ignore' });
          proc.on('error', rejectRun);
          proc.on('exit', (code) => (code === 0 ? resolveRun() : rejectRun(new Error(`openssl exited ${code}`))));
        }),
    ),
  );
  return (performance.now() - start) / 1000;
}

function ours(dir: string, workers: number): ChildFigures {
  const script = fileURLToPath(import.meta.url);
  const result = spawnSync(process.execPath, [script, '--child', dir, String(workers)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`child failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as ChildFigures;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-model-hash-'));
  try {
    generate(dir);
    warm(dir);
    const totalBytes = FILES * FILE_BYTES;
    const mbps = (seconds: number): number => totalBytes / seconds / 1e6;
    // Interleave the tools so drift (thermal, neighbours) hits all of them alike; keep each best run.
    let openssl = Infinity;
    let openssl2 = Infinity;
    const loadBefore = loadavg()[0] ?? 0;
    const best = new Map<number, ChildFigures>();
    for (let run = 0; run < RUNS; run += 1) {
      openssl = Math.min(openssl, opensslSeconds(dir));
      openssl2 = Math.min(openssl2, await opensslParallelSeconds(dir));
      for (const workers of [1, 2]) {
        const figures = ours(dir, workers);
        if (figures.bytes !== totalBytes) throw new Error(`hashed ${figures.bytes} bytes, expected ${totalBytes}`);
        const previous = best.get(workers);
        if (previous === undefined || figures.seconds < previous.seconds) {
          best.set(workers, { ...figures, peakMiB: Math.max(figures.peakMiB, previous?.peakMiB ?? 0) });
        } else {
          best.set(workers, { ...previous, peakMiB: Math.max(figures.peakMiB, previous.peakMiB) });
        }
      }
    }
    const loadAfter = loadavg()[0] ?? 0;
    const one = best.get(1) as ChildFigures;
    const two = best.get(2) as ChildFigures;
    const ratio1 = openssl / one.seconds;
    const ratio2 = openssl / two.seconds;
    const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
    const rows = [
      `| openssl dgst -sha256 (1 core, SHA extensions) | ${fmt(openssl)} | ${fmt(mbps(openssl), 0)} | 1.00× | — | anchor |`,
      `| openssl dgst -sha256 × 2 processes (2 cores: the machine's ceiling) | ${fmt(openssl2)} | ${fmt(mbps(openssl2), 0)} | ${fmt(openssl / openssl2)}× | — | anchor |`,
      `| warden, 1 worker | ${fmt(one.seconds)} | ${fmt(mbps(one.seconds), 0)} | ${fmt(ratio1)}× | ${fmt(one.peakMiB, 0)} | ≥ 0.90×: ${verdict(ratio1 >= 0.9)} |`,
      `| warden, 2 workers | ${fmt(two.seconds)} | ${fmt(mbps(two.seconds), 0)} | ${fmt(ratio2)}× | ${fmt(two.peakMiB, 0)} | ≥ 1.60×: ${verdict(ratio2 >= 1.6)} |`,
    ];
    const peak = Math.max(one.peakMiB, two.peakMiB);
    const markdown = [
      '## model-hash',
      '',
      `Model-signing hash throughput (\`files\` serialization, SHA-256, streaming reads of 256 KiB, worker threads) on ${FILES} × 512 MiB`,
      'generated files (2 GiB), page cache warm, best of ' + `${RUNS} interleaved runs. Ratios are OpenSSL's wall time over ours`,
      '(higher is faster). Peak memory is VmHWM of the whole process, worker threads included, in a fresh process per run.',
      '',
      '| tool | seconds | MB/s | vs OpenSSL | peak RSS MiB | target |',
      '| --- | ---: | ---: | ---: | ---: | --- |',
      ...rows,
      '',
      `Peak memory ${fmt(peak, 0)} MiB (target < 256 MiB: ${verdict(peak < 256)}). Two workers reach ${fmt(openssl2 / two.seconds)}× of`,
      'two parallel OpenSSL processes, i.e. of what the two cores deliver in this run. The machine is shared (1-minute load',
      `average ${fmt(loadBefore, 1)} before, ${fmt(loadAfter, 1)} after), so wall-clock figures move between runs.`,
      '',
      `Machine: ${machineLine()}. Reproduce: \`npm run bench:model-hash\`.`,
    ].join('\n');
    updateBenchmarkSection('model-hash', markdown);
    process.stdout.write(`${markdown}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  await child(process.argv[3] as string, Number(process.argv[4]));
} else {
  await main();
}
