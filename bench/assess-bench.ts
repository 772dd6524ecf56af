/**
 * `npm run bench:assess`: the one-day assessment on generated workspaces of 5,000 and 50,000
 * assets (2,000 people, ten lineage edges per asset: 500,000 at 50,000 assets). Each size runs in
 * a fresh process so its peak memory is its own. The floor it is compared with is parsing the same
 * warden.yaml alone (js-yaml, in its own process): no assessment can be faster than reading its input.
 * Target: 50,000 assets under 10 s and 1 GB, time growing no faster than linearly.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jsYaml from 'js-yaml';
import { assess } from '../src/engine/index.js';
import { renderReportChunks } from '../src/reports/index.js';
import { createDefaultRegistry } from '../src/scanners/index.js';
import { openStore } from '../src/store/index.js';
import { loadWorkspace } from '../src/workspace/index.js';
import { fmt, machineLine, peakRssMiB, updateBenchmarkSection } from './bench-report.js';
import { generateWorkspace } from './workspace-generator.js';

interface ChildFigures {
  readonly loadMs: number;
  readonly assessMs: number;
  readonly jsonMs: number;
  readonly jsonBytes: number;
  readonly storeMs: number;
  readonly floorMs: number;
  readonly peakMiB: number;
  /** Peak of the whole process: assessment, JSON report and SQLite save. */
  readonly peakAllMiB: number;
  readonly gaps: number;
  readonly controls: number;
}

/** The floor, in its own process so that its memory does not count against ours. */
async function floorChild(dir: string): Promise<void> {
  const t = performance.now();
  jsYaml.load(await readFile(join(dir, 'warden.yaml'), 'utf8'), { schema: jsYaml.CORE_SCHEMA });
  process.stdout.write(JSON.stringify({ floorMs: performance.now() - t }));
}

async function child(dir: string): Promise<void> {
  let t = performance.now();
  const loaded = await loadWorkspace(dir);
  const loadMs = performance.now() - t;
  t = performance.now();
  // The registered scanners take part as in `warden assess`; remote locations give them nothing to scan.
  const result = await assess(loaded, { now: new Date('2026-11-25T00:00:00Z'), registry: createDefaultRegistry() });
  const assessMs = performance.now() - t;
  const peakAfterAssess = peakRssMiB();
  t = performance.now();
  // As `warden assess --format json --out FILE` does: pieces written as they are produced.
  const fd = openSync(join(dir, 'report.json'), 'w');
  let jsonBytes = 0;
  for (const piece of renderReportChunks({ kind: 'assessment', result }, 'json', { color: false, toolVersion: 'bench' })) {
    jsonBytes += writeSync(fd, piece);
  }
  closeSync(fd);
  const jsonMs = performance.now() - t;
  t = performance.now();
  const store = await openStore({ sqlitePath: join(dir, '.warden', 'warden.db') });
  await store.runs.save(result);
  await store.close();
  const storeMs = performance.now() - t;
  const figures: Omit<ChildFigures, 'floorMs'> = { loadMs, assessMs, jsonMs, jsonBytes, storeMs, peakMiB: peakAfterAssess, peakAllMiB: peakRssMiB(), gaps: result.gaps.length, controls: result.controls.length };
  process.stdout.write(JSON.stringify(figures));
}

function runSize(assets: number): ChildFigures & { assets: number; edges: number; bytes: number } {
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-assess-'));
  try {
    const ws = generateWorkspace(assets, 2000, assets * 10);
    writeFileSync(join(dir, 'warden.yaml'), ws.yaml);
    const bytes = statSync(join(dir, 'warden.yaml')).size;
    const run = (mode: string): string => {
      const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), mode, dir], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (out.status !== 0) throw new Error(`${mode} failed: ${out.stderr}`);
      return out.stdout;
    };
    const { floorMs } = JSON.parse(run('--floor')) as { floorMs: number };
    return { ...(JSON.parse(run('--child')) as Omit<ChildFigures, 'floorMs'>), floorMs, assets, edges: ws.edges, bytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') {
    await child(process.argv[3] as string);
    return;
  }
  if (process.argv[2] === '--floor') {
    await floorChild(process.argv[3] as string);
    return;
  }
  const rows = [5_000, 50_000].map((n) => {
    const r = runSize(n);
    process.stderr.write(`assess ${n} assets: load ${fmt(r.loadMs / 1000)} s, assess ${fmt(r.assessMs / 1000)} s, peak ${fmt(r.peakMiB, 0)} MiB\n`);
    return r;
  });
  const [small, large] = rows as [(typeof rows)[number], (typeof rows)[number]];
  const total = (r: (typeof rows)[number]): number => (r.loadMs + r.assessMs) / 1000;
  const growth = total(large) / total(small);
  const table = rows
    .map((r) => `| ${r.assets.toLocaleString('en-US')} | ${r.edges.toLocaleString('en-US')} | ${fmt(r.bytes / 2 ** 20, 1)} MiB | ${fmt(r.floorMs / 1000)} | ${fmt(r.loadMs / 1000)} | ${fmt(r.assessMs / 1000)} | **${fmt(total(r))}** | ${fmt(total(r) / (r.floorMs / 1000), 1)}× | ${fmt(r.peakMiB, 0)} MiB | ${fmt(r.jsonMs / 1000)} (${fmt(r.jsonBytes / 2 ** 20, 0)} MiB) | ${fmt(r.storeMs / 1000)} | ${fmt(r.peakAllMiB, 0)} MiB | ${r.controls.toLocaleString('en-US')} |`)
    .join('\n');
  updateBenchmarkSection(
    'assess',
    `## One-day assessment at scale (\`npm run bench:assess\`)

Generated workspaces (bench/workspace-generator.ts): 2,000 people, ten lineage edges per asset.
Each size runs in its own process. *Floor* is parsing the same warden.yaml alone with js-yaml, the
fastest YAML parser we know for Node (and the one Warden's loader uses), in a process of its own: no
tool that reads this file can be faster. Peak RSS is the kernel's high-water mark (VmHWM) of the
process that loads and assesses, taken right after the assessment. *Total* = load (parse, schema and
cross-reference checks) + assess (controls, five answers, blast radius, ranking, roadmap).
Target: 50,000 assets under 10 s and 1 GB; growth no faster than linear.

Machine: ${machineLine()}

| assets | lineage edges | warden.yaml | floor (s) | load (s) | assess (s) | total (s) | total ÷ floor | peak RSS | JSON report (s) | SQLite save (s) | peak RSS with report and save | control results |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${table}

Growth from 5,000 to 50,000 assets (10× the input): total time ×${fmt(growth, 1)}${growth <= 10.5 ? ' — linear or better' : ' — FASTER THAN LINEAR: investigate'}.
50,000 assets: ${total(large) < 10 ? 'meets' : 'MISSES'} the 10 s target; peak ${fmt(large.peakMiB, 0)} MiB ${large.peakMiB < 1024 ? 'meets' : 'MISSES'} the 1 GB target.
A whole \`warden assess --format json --out FILE\` of 50,000 assets also writes the report and saves
the run: ${fmt((large.loadMs + large.assessMs + large.jsonMs + large.storeMs) / 1000, 1)} s in all, peak ${fmt(large.peakAllMiB, 0)} MiB. Both are written in pieces (the JSON report
element by element, the run's long lists as gzip pages), never as one string.

Reproduce: \`npm run bench:assess\`.`,
  );
  process.stderr.write(`wrote docs/benchmarks.md (growth ×${fmt(growth, 1)})\n`);
}

await main();
