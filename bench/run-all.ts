/**
 * `npm run bench`: every benchmark, one after another, each in its own process so that one's
 * peak memory and page cache do not colour the next one's figures. Each writes its own section of
 * docs/benchmarks.md. `npm run bench -- assess secrets` runs only the named ones.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCHES: Readonly<Record<string, string>> = {
  assess: 'assess-bench.js',
  iac: 'iac-bench.js',
  'model-hash': 'model-hash-bench.js',
  'models-scan': 'models-scan-bench.js',
  secrets: 'secrets-bench.js',
  probe: 'probe-bench.js',
};

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}\n`);
  process.exit(2);
}
const names = wanted.length > 0 ? wanted : Object.keys(BENCHES);
let failed = 0;
for (const name of names) {
  process.stderr.write(`\n== bench ${name}\n`);
  const started = Date.now();
  const run = spawnSync(process.execPath, [join(here, BENCHES[name] ?? '')], { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (run.status !== 0) {
    failed += 1;
    process.stderr.write(`== bench ${name} FAILED (exit ${String(run.status ?? run.signal)}) after ${seconds} s\n`);
  } else {
    process.stderr.write(`== bench ${name} done in ${seconds} s\n`);
  }
}
process.exit(failed > 0 ? 1 : 0);
