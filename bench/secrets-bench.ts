/**
 * Secrets scanner benchmark (`npm run bench:secrets`).
 *
 * In one run, on this machine:
 *  1. generates a tree of ≥ 200 MB in ≥ 20,000 files under /tmp (code, configs, docs, notebooks,
 *     data) with planted fake secrets, plus a 100 MB single file;
 *  2. times Warden (a fresh `node` process per measurement, cold start included) on 20, 100 and
 *     200 MB of the tree (growth must be linear), and on the 100 MB file, with peak memory;
 *  3. times `grep -rEi` over the tree with an alternation of our rules' keywords: the floor any
 *     keyword prefilter pays to read every byte (target: Warden within 5×);
 *  4. times secretlint (recommended preset) and Warden on a ~16 MB slice of the tree (secretlint's
 *     time grows faster than linearly with file count, so never on the whole tree; bounded by a
 *     timeout) (target: Warden ≥ 10× secretlint's throughput);
 *  5. measures recall on the labelled corpus (test/fixtures/secrets) for Warden and secretlint;
 *  6. writes the figures to docs/benchmarks.md between the bench:secrets markers, and deletes the
 *     generated trees.
 *
 * `node dist/bench/secrets-bench.js --run [--out FILE] PATH...` is the tiny runner used for the
 * timings: it scans PATHs with the secrets scanner in this fresh process and writes JSON findings.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
const projectRoot = process.cwd();

async function runner(args: readonly string[]): Promise<void> {
  const { secretsScanner } = await import('../src/scanners/secrets/index.js');
  let out = '/dev/null';
  const inputs: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '--out') out = args[++i] as string;
    else inputs.push(resolve(args[i] as string));
  }
  const started = performance.now();
  const root = inputs.length === 1 ? inputs[0] as string : commonRoot(inputs);
  const result = await secretsScanner.scan({ root, inputs }, { options: {} });
  writeFileSync(out, JSON.stringify(result));
  const summary = {
    findings: result.findings.length,
    bytes: result.stats?.['bytes'] ?? 0,
    files: result.stats?.['files'] ?? 0,
    unscannable: result.unscannable.length,
    scanMs: performance.now() - started,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

function commonRoot(paths: readonly string[]): string {
  const parts = paths.map((p) => p.split('/'));
  const first = parts[0] as string[];
  let n = 0;
  while (n < first.length && parts.every((p) => p[n] === first[n])) n += 1;
  return first.slice(0, n).join('/') || '/';
}

// ---------------------------------------------------------------------------------------------

interface Timed {
  readonly seconds: number;
  readonly stdout: string;
  readonly status: number | null;
  readonly maxRssMb: number;
  readonly timedOut: boolean;
}

function timed(command: string, args: readonly string[], timeoutMs = 600_000, cwd = projectRoot): Timed {
  // /usr/bin/time -f gives the peak RSS of the whole process tree's main process.
  const useTime = existsSync('/usr/bin/time');
  const started = performance.now();
  const result = spawnSync(useTime ? '/usr/bin/time' : command, useTime ? ['-f', '%M', command, ...args] : args, {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 512 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  const rssLine = (result.stderr ?? '').trim().split('\n').pop() ?? '';
  const maxRssMb = useTime && /^[0-9]+$/.test(rssLine) ? Number(rssLine) / 1024 : NaN;
  return { seconds, stdout: result.stdout ?? '', status: result.status, maxRssMb, timedOut: result.error !== undefined && /ETIMEDOUT/.test(String(result.error)) };
}

function best(runs: number, fn: () => Timed): Timed {
  let winner: Timed | undefined;
  for (let i = 0; i < runs; i += 1) {
    const t = fn();
    if (winner === undefined || t.seconds < winner.seconds) winner = t;
  }
  return winner as Timed;
}

async function main(): Promise<void> {
  const { FakeCredentials, j } = await import('../test/fixtures/secrets/fake-credentials.js');
  const { generateCorpus, score } = await import('../test/fixtures/secrets/generate-corpus.js');
  const { BUILTIN_SECRET_RULES } = await import('../src/scanners/secrets/index.js');

  const work = mkdtempSync(join(tmpdir(), 'warden-secrets-bench-'));
  const tree = join(work, 'tree');
  try {
    // ---- 1. generate the tree ----
    const genStart = performance.now();
    const { totalBytes, planted, bigFile, DIRS, FILES_PER_DIR } = generateTree(work, tree, FakeCredentials, j);
    const genSeconds = (performance.now() - genStart) / 1000;
    const mb = (bytes: number): number => bytes / 1048576;
    console.error(`generated ${DIRS * FILES_PER_DIR} files, ${mb(totalBytes).toFixed(1)} MB in ${genSeconds.toFixed(1)} s`);

    const dirs = Array.from({ length: DIRS }, (_, d) => join(tree, `d${String(d).padStart(2, '0')}`));
    // Best of 5: this machine is shared, and the minimum is the least disturbed run.
    const wardenRun = (inputs: readonly string[], out = '/dev/null'): Timed & { summary: { findings: number; bytes: number; files: number; scanMs: number } } => {
      const t = best(5, () => timed(process.execPath, [here, '--run', '--out', out, ...inputs]));
      const summary = JSON.parse(t.stdout.trim().split('\n').pop() ?? '{}') as { findings: number; bytes: number; files: number; scanMs: number };
      return { ...t, summary };
    };

    // Warm the page cache once so every tool reads from memory.
    timed('grep', ['-rc', 'zzzz-warm', tree]);

    // ---- 2. Warden growth ----
    const w20 = wardenRun(dirs.slice(0, 1));
    const w100 = wardenRun(dirs.slice(0, 5));
    const w200Out = join(work, 'warden-200.json');
    const w200 = wardenRun(dirs, w200Out);
    const wBig = wardenRun([bigFile]);
    const found200 = JSON.parse(readFileSync(w200Out, 'utf8')) as { findings: { location: { path: string; line?: number } }[] };
    const plantedHit = planted.filter((p) => found200.findings.some((f) => f.location.path === p.path && f.location.line === p.line)).length;

    // ---- 3. grep floor ----
    const keywords = [...new Set(BUILTIN_SECRET_RULES.flatMap((r) => r.keywords))];
    const alternation = keywords.map((k) => k.replace(/[.[\]()*+?{}|^$\\]/g, '\\$&')).join('|');
    const grepI = best(3, () => timed('env', ['LC_ALL=C', 'grep', '-rEic', alternation, tree]));
    const grepCs = best(3, () => timed('env', ['LC_ALL=C', 'grep', '-rEc', alternation, tree]));
    const grepFloor = Math.min(grepI.seconds, grepCs.seconds);

    // ---- 4. secretlint on a ~16 MB slice ----
    const slice = join(work, 'slice');
    const sliceFiles: string[] = [];
    let sliceBytes = 0;
    for (let m = 0; m < 40 && sliceBytes < 16 * 1048576; m += 1) {
      const from = join(dirs[0] as string, `m${String(m).padStart(2, '0')}`);
      cpSync(from, join(slice, `m${String(m).padStart(2, '0')}`), { recursive: true });
      for (const name of readdirNames(from)) {
        sliceFiles.push(name);
        sliceBytes += statSize(join(from, name));
      }
    }
    const rc = join(work, '.secretlintrc.json');
    writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
    const secretlintBin = join(projectRoot, 'node_modules', 'secretlint', 'bin', 'secretlint.js');
    const secretlintTimeout = 900_000;
    const sl = timed(process.execPath, [secretlintBin, `${slice}/**/*`, '--secretlintrc', rc, '--format', 'json', '--no-color'], secretlintTimeout);
    const wSlice = wardenRun([slice]);

    // ---- 5. recall on the labelled corpus ----
    const corpus = generateCorpus(join(work, 'corpus'));
    const wCorpusOut = join(work, 'warden-corpus.json');
    timed(process.execPath, [here, '--run', '--out', wCorpusOut, corpus.root]);
    const currentSecretLabels = corpus.labels.filter((l) => l.kind === 'secret' && l.history !== true);
    const ours = (JSON.parse(readFileSync(wCorpusOut, 'utf8')) as { findings: { ruleId: string; location: { path: string; line?: number; member?: string }; properties?: Record<string, unknown> }[] }).findings
      .filter((f) => !f.ruleId.startsWith('secrets/pii-'))
      .map((f) => ({ ruleId: f.ruleId, path: f.location.path, ...(f.location.line !== undefined && { line: f.location.line }), ...(f.location.member !== undefined && { member: f.location.member }) }));
    const ourScore = score(ours, currentSecretLabels);
    const slCorpus = timed(process.execPath, [secretlintBin, `${corpus.root}/**/*`, `${corpus.root}/**/.*`, '--secretlintrc', rc, '--format', 'json', '--no-color'], 300_000);
    const slFindings = parseSecretlint(slCorpus.stdout, corpus.root);
    const slScore = score(slFindings, currentSecretLabels, false);

    // ---- 6. report ----
    const mbps = (bytes: number, seconds: number): number => mb(bytes) / seconds;
    const sliceMb = mb(sliceBytes);
    const slOk = !sl.timedOut && sl.status !== null;
    const slMbps = slOk ? mbps(sliceBytes, sl.seconds) : sliceMb / (secretlintTimeout / 1000);
    const wSliceMbps = mbps(sliceBytes, wSlice.seconds);
    const fig = {
      treeMb: mb(totalBytes),
      files: DIRS * FILES_PER_DIR,
      w20: { s: w20.seconds, mbps: mbps(w20.summary.bytes, w20.seconds), rss: w20.maxRssMb },
      w100: { s: w100.seconds, mbps: mbps(w100.summary.bytes, w100.seconds), rss: w100.maxRssMb },
      w200: { s: w200.seconds, mbps: mbps(w200.summary.bytes, w200.seconds), rss: w200.maxRssMb, findings: w200.summary.findings },
      big: { s: wBig.seconds, mbps: mbps(wBig.summary.bytes, wBig.seconds), rss: wBig.maxRssMb },
      grepI: grepI.seconds,
      grepCs: grepCs.seconds,
      slice: { mb: sliceMb, files: sliceFiles.length, secretlint: sl.seconds, secretlintOk: slOk, warden: wSlice.seconds, ratio: wSliceMbps / slMbps },
      recall: { warden: ourScore.recall, wardenPrecision: ourScore.precision, secretlint: slScore.recall, secretlintPrecision: slScore.precision, labels: currentSecretLabels.length },
      plantedRecall: plantedHit / planted.length,
    };
    console.log(JSON.stringify(fig, null, 2));
    // Growth: fixed start-up plus a per-MB cost. Linear means the marginal cost per MB does not rise
    // with size (20 → 100 MB versus 100 → 200 MB).
    const mb20 = mb(w20.summary.bytes);
    const mb100 = mb(w100.summary.bytes);
    const mb200 = mb(w200.summary.bytes);
    const marginalLow = ((w100.seconds - w20.seconds) / (mb100 - mb20)) * 1000;
    const marginalHigh = ((w200.seconds - w100.seconds) / (mb200 - mb100)) * 1000;
    const linear = marginalHigh / marginalLow;
    const vsGrep = w200.seconds / grepFloor;
    const now = new Date().toISOString().slice(0, 10);
    const section = [
      '## Secrets scanner (`warden scan secrets`)',
      '',
      `Measured ${now} on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${loadavg()[0]?.toFixed(1)} at the end (a shared machine: expect ±30 % between runs). ` +
        'Every Warden time is a fresh `node` process (cold start, worker start-up, walking, reading, JSON output) and the best of 5 (grep: best of 3); files were in the page cache for every tool.',
      '',
      `Tree: ${fig.files.toLocaleString('en')} generated files, ${fig.treeMb.toFixed(0)} MB (code, configs, docs, data; one planted fake secret per 100 files).`,
      '',
      '| measurement | input | time | throughput | peak RSS |',
      '| --- | --- | ---: | ---: | ---: |',
      `| Warden | 20 MB (2,000 files) | ${fig.w20.s.toFixed(2)} s | ${fig.w20.mbps.toFixed(0)} MB/s | ${fig.w20.rss.toFixed(0)} MB |`,
      `| Warden | 100 MB (10,000 files) | ${fig.w100.s.toFixed(2)} s | ${fig.w100.mbps.toFixed(0)} MB/s | ${fig.w100.rss.toFixed(0)} MB |`,
      `| Warden | ${fig.treeMb.toFixed(0)} MB (20,000 files) | ${fig.w200.s.toFixed(2)} s | ${fig.w200.mbps.toFixed(0)} MB/s | ${fig.w200.rss.toFixed(0)} MB |`,
      `| Warden | one 100 MB file | ${fig.big.s.toFixed(2)} s | ${fig.big.mbps.toFixed(0)} MB/s | ${fig.big.rss.toFixed(0)} MB |`,
      `| \`LC_ALL=C grep -rEic PATTERN TREE\`, PATTERN = alternation of our ${keywords.length} keywords | ${fig.treeMb.toFixed(0)} MB | ${fig.grepI.toFixed(2)} s | ${mbps(totalBytes, fig.grepI).toFixed(0)} MB/s | |`,
      `| \`grep -rEc\` (same, case-sensitive) | ${fig.treeMb.toFixed(0)} MB | ${fig.grepCs.toFixed(2)} s | ${mbps(totalBytes, fig.grepCs).toFixed(0)} MB/s | |`,
      `| secretlint 12.0.0, recommended preset | slice: ${fig.slice.mb.toFixed(1)} MB (${fig.slice.files} files) | ${slOk ? `${fig.slice.secretlint.toFixed(1)} s` : `timed out after ${secretlintTimeout / 1000} s`} | ${slMbps.toFixed(2)} MB/s | |`,
      `| Warden | same slice | ${fig.slice.warden.toFixed(2)} s | ${wSliceMbps.toFixed(1)} MB/s | |`,
      '',
      '| target | result |',
      '| --- | --- |',
      `| linear growth 20 → 200 MB | marginal cost ${marginalLow.toFixed(1)} ms/MB from 20 to 100 MB and ${marginalHigh.toFixed(1)} ms/MB from 100 to 200 MB (ratio ${linear.toFixed(2)}: about 1 means linear; super-linear growth would show as a ratio well above 1); total time ×${(fig.w200.s / fig.w20.s).toFixed(1)} for ×${(mb200 / mb20).toFixed(1)} data, the rest being fixed start-up |`,
      `| within 5× of the grep floor | ${vsGrep.toFixed(1)}× the faster grep (${grepFloor.toFixed(2)} s) on the whole tree |`,
      `| ≥ 10× secretlint's throughput | ${fig.slice.ratio.toFixed(0)}× on the slice |`,
      `| recall ≥ secretlint's on the labelled corpus | Warden ${fig.recall.warden.toFixed(3)} (precision ${fig.recall.wardenPrecision.toFixed(3)}), secretlint ${fig.recall.secretlint.toFixed(3)} (precision ${fig.recall.secretlintPrecision.toFixed(3)}) over the ${fig.recall.labels} secrets in current files (history and personal-data labels excluded: secretlint covers neither) |`,
      `| planted secrets in the 200 MB tree | ${(fig.plantedRecall * 100).toFixed(1)} % found (${planted.length} planted; ${fig.w200.findings} findings in total) |`,
      '',
      'Reproduce: `npm run bench:secrets` (generates the trees under the OS temp folder and deletes them afterwards).',
    ].join('\n');
    writeSection('secrets', section);
    console.error(`wrote docs/benchmarks.md (secrets). linear=${linear.toFixed(2)} vsGrep=${vsGrep.toFixed(2)} vsSecretlint=${fig.slice.ratio.toFixed(1)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}


type FakeCtor = typeof import('../test/fixtures/secrets/fake-credentials.js').FakeCredentials;

/** The benchmark tree: 10 folders × 2,000 files of code-like text (~10 KB each) plus a 100 MB file. */
function generateTree(work: string, tree: string, FakeCredentials: FakeCtor, j: (...parts: string[]) => string) {
    const fake = new FakeCredentials(7);
  // Keyword density is set to ~1,500 prefilter hits per MB: above what we measured on real code
  // (about 250/MB in CPython's standard library, 860/MB in node_modules), so this is not a best case.
  const words = ['model', 'dataset', 'batch', 'loss', 'optimizer', 'config', 'request', 'client', 'session', 'value', 'weights', 'layer', 'epoch', 'metric', 'result', 'cache', 'user', 'url', 'path', 'index', 'embedding', 'prompt', 'response', 'logits', 'labels', 'scheduler', 'trainer', 'feature', 'sample', 'worker'];
  const w = (): string => fake.pick(words);
  const n = (): number => fake.int(10000);
  const plainMakers: (() => string)[] = [
    () => `def ${w()}_${w()}(self, ${w()}, ${w()}=None):`,
    () => `    ${w()} = self.${w()}.${w()}(${w()}, ${n()})`,
    () => `    return [${w()} for ${w()} in ${w()}s if ${w()} > ${n()}]`,
    () => `    logger.info("processed %d ${w()}s for ${w()}", ${n()})`,
    () => `import ${w()}`,
    () => `from ${w()}.${w()} import ${w()}_${w()}`,
    () => `    # TODO: handle ${w()} ${w()} when the ${w()} is empty`,
    () => `export function ${w()}${n()}(${w()}: string): Promise<${w()}> {`,
    () => `  ${w()}: ${n()}`,
    () => `${w()}_${w()}: "${w()}-${n()}"`,
    () => `| ${w()} | ${n()} | ${w()} | ${(n() / 100).toFixed(2)} |`,
    () => `The ${w()} uses a ${w()} and a ${w()} to compute the ${w()} for each ${w()}.`,
    () => `    "${w()}": ${n()},`,
    () => `${n()},${w()},${(n() / 1000).toFixed(3)},${fake.uuid()}`,
    () => `    assert ${w()}.shape == (${n() % 512}, ${n() % 768})`,
  ];
  const keywordMakers: (() => string)[] = [
    () => `    response = requests.get(f"https://api.${w()}.example.com/v1/${w()}/{${w()}_id}", timeout=${n() % 60})`,
    () => `  const ${w()} = await fetch(\`https://${w()}.internal/${w()}\`, { headers });`,
    () => `    token_count = len(tokenizer.encode(${w()}))`,
    () => `    password = os.environ.get("DB_PASSWORD")`,
    () => `    api_key = settings.${w()}_api_key`,
    () => `    secret_name = "${w()}/${w()}"`,
  ];
  const lineMakers: (() => string)[] = [() => (fake.int(100) < 4 ? (keywordMakers[fake.int(keywordMakers.length)] as () => string)() : (plainMakers[fake.int(plainMakers.length)] as () => string)())];
  const extensions = ['py', 'py', 'py', 'ts', 'ts', 'js', 'yaml', 'json', 'md', 'csv', 'txt', 'ipynb'];
  const planters: ((f: InstanceType<typeof FakeCredentials>) => string)[] = [
    (f) => `OPENAI_API_KEY = "${f.openai()}"`,
    (f) => `GITHUB_TOKEN = "${f.github()}"`,
    (f) => `aws_secret_access_key = ${f.awsSecretKey()}`,
    (f) => `HF_TOKEN=${f.huggingface()}`,
    (f) => `stripe.api_key = "${f.stripeLive()}"`,
    (f) => `SLACK_BOT_TOKEN=${f.slackBot()}`,
    (f) => `DATABASE_URL=postgresql://svc:${f.password()}@db.prod:5432/app`,
    (f) => `client = Anthropic(api_key="${f.anthropic()}")`,
    (f) => `AWS_ACCESS_KEY_ID=${f.awsAccessKeyId()}`,
    (f) => `"token": "${f.npm()}"`,
  ];
  const planted: { path: string; line: number }[] = [];
  const DIRS = 10;
  const FILES_PER_DIR = 2000;
  let totalBytes = 0;
  for (let d = 0; d < DIRS; d += 1) {
    for (let i = 0; i < FILES_PER_DIR; i += 1) {
      const ext = extensions[(d * FILES_PER_DIR + i) % extensions.length] as string;
      const sub = join(tree, `d${String(d).padStart(2, '0')}`, `m${String(i % 40).padStart(2, '0')}`);
      if (i < 40) mkdirSync(sub, { recursive: true });
      const target = 2000 + fake.int(17500);
      const lines: string[] = [];
      let size = 0;
      while (size < target) {
        const line = (lineMakers[0] as () => string)();
        lines.push(line);
        size += line.length + 1;
      }
      const path = join(sub, `f${String(i).padStart(4, '0')}.${ext === 'ipynb' ? 'txt' : ext}`);
      if (i % 100 === 7) {
        const at = fake.int(lines.length);
        lines.splice(at, 0, (planters[planted.length % planters.length] as (f: InstanceType<typeof FakeCredentials>) => string)(fake));
        planted.push({ path: relative(tree, path), line: at + 1 });
      }
      const text = `${lines.join('\n')}\n`;
      writeFileSync(path, text);
      totalBytes += Buffer.byteLength(text);
    }
  }
  // A 100 MB single file (long, ordinary lines with a few secrets).
  const bigFile = join(work, 'big.txt');
  {
    const parts: string[] = [];
    let size = 0;
    let k = 0;
    while (size < 100 * 1024 * 1024) {
      const line = k % 20000 === 19999 ? j('GITHUB_TOKEN=', fake.github()) : (lineMakers[0] as () => string)();
      parts.push(line);
      size += line.length + 1;
      k += 1;
    }
    writeFileSync(bigFile, `${parts.join('\n')}\n`);
  }
  return { totalBytes, planted, bigFile, DIRS, FILES_PER_DIR };
}

function readdirNames(dir: string): string[] {
  return readdirSync(dir);
}

function statSize(path: string): number {
  return statSync(path).size;
}

interface SecretlintMessage {
  readonly ruleId?: string;
  readonly loc?: { readonly start?: { readonly line?: number } };
}

function parseSecretlint(stdout: string, root: string): { ruleId: string; path: string; line?: number }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch (error) {
    if (error instanceof SyntaxError) return [];
    throw error;
  }
  if (!Array.isArray(parsed)) return [];
  const out: { ruleId: string; path: string; line?: number }[] = [];
  for (const file of parsed as { filePath?: string; messages?: SecretlintMessage[] }[]) {
    for (const m of file.messages ?? []) {
      const line = m.loc?.start?.line;
      out.push({ ruleId: m.ruleId ?? 'secretlint', path: relative(root, file.filePath ?? ''), ...(line !== undefined && { line }) });
    }
  }
  return out;
}

function writeSection(name: string, body: string): void {
  const file = join(projectRoot, 'docs', 'benchmarks.md');
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${body}\n${end}`;
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a >= 0 && b > a) text = `${text.slice(0, a)}${block}${text.slice(b + end.length)}`;
  else text = `${text.trimEnd()}\n\n${block}\n`;
  mkdirSync(join(projectRoot, 'docs'), { recursive: true });
  writeFileSync(file, text);
}

const args = process.argv.slice(2);
if (args[0] === '--run') await runner(args.slice(1));
else if (args[0] === '--generate' && args[1] !== undefined) {
  // Keeps a generated tree for profiling: --generate DIR
  const { FakeCredentials, j } = await import('../test/fixtures/secrets/fake-credentials.js');
  const out = resolve(args[1]);
  const result = generateTree(out, join(out, 'tree'), FakeCredentials, j);
  console.log(JSON.stringify({ bytes: result.totalBytes, planted: result.planted.length }));
} else await main();
