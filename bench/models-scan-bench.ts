/**
 * `npm run bench:models`: `warden scan models` over a generated folder of 1,000 model files of
 * mixed formats (PyTorch zip and legacy, safetensors, NumPy, GGUF, pickles, joblib, Keras, ONNX,
 * 7z …; 5 % carry a planted payload). Large files hold real tensor bytes on disk.
 *
 * The anchor is the physical floor of a scanner that reads everything: reading every byte of the
 * same files sequentially (1 MiB reads) in the same run. The model scanner should read a small
 * fraction of the bytes and so beat that floor; the figures say by how much.
 *
 * Writes its section of docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelScanner } from '../src/scanners/models/index.js';
import { fmt, machineLine, peakRssMiB, updateBenchmarkSection } from './bench-report.js';

const FILES = 1000;
const RUNS = 3;
const MiB = 1024 * 1024;
const fixtures = join(process.cwd(), 'test', 'fixtures', 'models');
const noise = randomBytes(4 * MiB);

function tensorBytes(size: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  const start = (seed * 4099) % (noise.length / 2);
  for (let at = 0; at < size; ) at += noise.copy(out, at, start, Math.min(noise.length, start + size - at));
  return out;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}

/** A stored zip (what torch.save writes) with a state-dict pickle and tensor members. */
function torchZip(tensors: number[], seed: number, payload: boolean): Buffer {
  const entries: [string, Buffer][] = [];
  const pickle = payload
    ? Buffer.from('\x80\x02cposix\nsystem\nX\x02\x00\x00\x00id\x85R.', 'latin1')
    : Buffer.from('\x80\x02ccollections\nOrderedDict\nq\x00)Rq\x01ctorch._utils\n_rebuild_tensor_v2\nq\x02.', 'latin1');
  entries.push(['archive/data.pkl', pickle], ['archive/byteorder', Buffer.from('little')]);
  tensors.forEach((size, i) => entries.push([`archive/data/${i}`, tensorBytes(size, seed + i)]));
  entries.push(['archive/version', Buffer.from('3\n')]);
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    parts.push(local, n, data);
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt32LE(data.length, 20);
    record.writeUInt32LE(data.length, 24);
    record.writeUInt16LE(n.length, 28);
    record.writeUInt32LE(offset, 42);
    central.push(record, n);
    offset += 30 + n.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

function legacyTorch(storage: number, seed: number): Buffer {
  const magic = Buffer.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]);
  const pickles = Buffer.from('\x80\x02M\xe9\x03.\x80\x02}q\x00(X\x10\x00\x00\x00protocol_versionq\x01M\xe9\x03u.\x80\x02ccollections\nOrderedDict\n)R.\x80\x02]X\x01\x00\x00\x000a.', 'latin1');
  return Buffer.concat([magic, pickles, u64(storage / 4), tensorBytes(storage, seed)]);
}

function safetensors(size: number, seed: number): Buffer {
  const header = Buffer.from(JSON.stringify({ weight: { dtype: 'F32', shape: [size / 4], data_offsets: [0, size] }, __metadata__: { format: 'pt' } }));
  return Buffer.concat([u64(header.length), header, tensorBytes(size, seed)]);
}

function npy(size: number, seed: number): Buffer {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${size / 4},), }`;
  header += ' '.repeat(63 - ((header.length + 10) % 64)) + '\n';
  const h = Buffer.alloc(2);
  h.writeUInt16LE(header.length);
  return Buffer.concat([Buffer.from('\x93NUMPY\x01\x00', 'latin1'), h, Buffer.from(header, 'latin1'), tensorBytes(size, seed)]);
}

function gguf(size: number, seed: number): Buffer {
  const str = (s: string): Buffer => Buffer.concat([u64(Buffer.byteLength(s)), Buffer.from(s)]);
  const head = Buffer.concat([
    Buffer.from('GGUF'), u32(3), u64(1), u64(2),
    str('general.architecture'), u32(8), str('llama'),
    str('tokenizer.chat_template'), u32(8), str("{% for m in messages %}{{ m['content'] }}{% endfor %}"),
    str('w'), u32(1), u64(size / 4), u32(0), u64(0),
  ]);
  return Buffer.concat([head, Buffer.alloc((32 - (head.length % 32)) % 32), tensorBytes(size, seed)]);
}

function generate(dir: string): { bytes: number; planted: number } {
  const fixtureFiles = readdirSync(fixtures).filter((n) => /\.(joblib|h5|keras|onnx|npz|7z)$/.test(n) && !/payload|lambda|external|archive/.test(n));
  let planted = 0;
  for (let i = 0; i < FILES; i += 1) {
    const sub = join(dir, `model-${String(Math.floor(i / 100)).padStart(2, '0')}`);
    mkdirSync(sub, { recursive: true });
    const kind = i % 10;
    const big = (256 + ((i * 37) % 1792)) * 1024; // 256 KiB – 2 MiB
    const malicious = [1, 7, 13].includes(i % 60);
    if (malicious) planted += 1;
    let name: string;
    let data: Buffer;
    if (kind <= 2) [name, data] = [`${i}.pt`, torchZip([big, big / 2], i, malicious)];
    else if (kind === 3) [name, data] = [`${i}.bin`, malicious ? Buffer.from('\x80\x02csubprocess\ncheck_output\nX\x02\x00\x00\x00id\x85R.', 'latin1') : legacyTorch(big, i)];
    else if (kind === 4) [name, data] = [`${i}.safetensors`, safetensors(big, i)];
    else if (kind === 5) [name, data] = [`${i}.npy`, npy(big / 2, i)];
    else if (kind === 6) [name, data] = [`${i}.gguf`, gguf(big, i)];
    else if (kind === 7) [name, data] = [`${i}.pkl`, malicious ? Buffer.from('\x80\x04\x95\x00\x00\x00\x00\x00\x00\x00\x00\x8c\x02os\x94\x8c\x06system\x94\x93\x8c\x02id\x85R.', 'latin1') : Buffer.from('\x80\x04]\x94(K\x01K\x02e.', 'latin1')];
    else {
      const fixture = fixtureFiles[i % fixtureFiles.length] as string;
      [name, data] = [`${i}-${fixture}`, readFileSync(join(fixtures, fixture))];
    }
    writeFileSync(join(sub, name), data);
  }
  let bytes = 0;
  for (const sub of readdirSync(dir)) for (const f of readdirSync(join(dir, sub))) bytes += statSync(join(dir, sub, f)).size;
  return { bytes, planted };
}

/** The floor for any scanner that reads everything: every byte, sequentially, 1 MiB at a time. */
async function readEverything(dir: string): Promise<number> {
  const buffer = Buffer.allocUnsafe(MiB);
  let total = 0;
  for (const sub of readdirSync(dir).sort()) {
    for (const f of readdirSync(join(dir, sub)).sort()) {
      const handle = await open(join(dir, sub, f), 'r');
      try {
        for (;;) {
          const { bytesRead } = await handle.read(buffer, 0, MiB, null);
          if (bytesRead === 0) break;
          total += bytesRead;
        }
      } finally {
        await handle.close();
      }
    }
  }
  return total;
}

/**
 * Evicts the generated files (only them) from the page cache with GNU dd's `nocache` flag
 * (posix_fadvise DONTNEED), so a cold run reads from the disk. False when that is not possible.
 */
function dropCache(dir: string): boolean {
  // Write back first (fdatasync): the files were just written, and dirty pages cannot be evicted.
  const out = spawnSync('find', [dir, '-type', 'f', '-exec', 'dd', 'if=/dev/null', 'of={}', 'oflag=nocache', 'conv=notrunc,fdatasync', 'count=0', 'status=none', ';'], { encoding: 'utf8' });
  return out.status === 0 && out.stderr === '';
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-models-'));
  try {
    const { bytes, planted } = generate(dir);
    const readMs: number[] = [];
    const scanMs: number[] = [];
    let last: Awaited<ReturnType<typeof modelScanner.scan>> | undefined;
    for (let run = 0; run < RUNS; run += 1) {
      let t = performance.now();
      const read = await readEverything(dir);
      readMs.push(performance.now() - t);
      if (read !== bytes) throw new Error(`read ${read} of ${bytes} bytes`);
      t = performance.now();
      last = await modelScanner.scan({ root: dir, inputs: [dir] }, { options: {} });
      scanMs.push(performance.now() - t);
    }
    if (last === undefined) throw new Error('no run');
    let cold: { read: number; scan: number } | undefined;
    if (dropCache(dir)) {
      let t = performance.now();
      await readEverything(dir);
      const read = (performance.now() - t) / 1000;
      dropCache(dir);
      t = performance.now();
      await modelScanner.scan({ root: dir, inputs: [dir] }, { options: {} });
      cold = { read, scan: (performance.now() - t) / 1000 };
    }
    const stats = last.stats ?? {};
    const files = stats['files'] ?? 0;
    const bytesRead = stats['bytesRead'] ?? 0;
    const detected = new Set(last.findings.filter((f) => f.severity === 'critical').map((f) => f.location.path)).size;
    const scan = median(scanMs) / 1000;
    const floor = median(readMs) / 1000;
    const mb = bytes / 1e6;
    const row = (label: string, seconds: number, read: number): string =>
      `| ${label} | ${fmt(seconds)} | ${fmt(files / seconds, 0)} | ${fmt(mb / seconds, 0)} | ${fmt(read / 1e6, 1)} | ${fmt(read / bytes * 100, 1)} % |`;
    const markdown = `## models-scan

\`warden scan models\` over a generated folder of ${files} model files (${fmt(mb, 0)} MB on disk: PyTorch zip 30 %, legacy
PyTorch 10 %, safetensors 10 %, NumPy 10 %, GGUF 10 %, small pickles 10 %, library-made joblib/HDF5/Keras/ONNX/npz 20 %;
tensor members 256 KiB – 2 MiB of real bytes). ${planted} files carry a planted payload; the scan reported ${detected} files
critical. Warm rows: median of ${RUNS} runs with the files in the page cache (which favours the full read).
The anchor is reading every byte of the same files sequentially (1 MiB reads) in the same run: the physical floor of
any scanner that reads whole files.

| run | seconds | files/s | MB/s (of bytes on disk) | MB read | share of bytes on disk |
| --- | ---: | ---: | ---: | ---: | ---: |
${row('warm cache: read every byte (anchor)', floor, bytes)}
${row('warm cache: warden scan models', scan, bytesRead)}
${cold === undefined ? '| cold cache: not measured (could not evict the files from the page cache) | | | | | |' : `${row('cold cache: read every byte (anchor)', cold.read, bytes)}\n${row('cold cache: warden scan models', cold.scan, bytesRead)}`}

The scan reads ${fmt(bytesRead / bytes * 100, 2)} % of the bytes on disk (${fmt(bytes / Math.max(1, bytesRead), 0)}× fewer than the full read). Its wall time is
${fmt(scan / floor)}× the full read's with a warm cache, where both are bound by per-file system calls and memory bandwidth,
and ${cold === undefined ? 'was not measured with a cold one' : `${fmt(cold.scan / cold.read)}× with a cold one (${fmt(cold.read / cold.scan, 1)}× faster), where the bytes not read are the time saved`}.
Peak RSS ${fmt(peakRssMiB(), 0)} MiB. Unscannable: ${last.unscannable.length}.
Cold runs evict only the generated files (GNU dd \`oflag=nocache conv=fdatasync\`), one run each.

Machine: ${machineLine()}. Reproduce: \`npm run bench:models\`.`;
    updateBenchmarkSection('models-scan', markdown);
    process.stdout.write(`${markdown}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
