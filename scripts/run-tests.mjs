// Runs every compiled test file with Node's own test runner. Test files are dist/test/**/*.test.js;
// a filter on the command line (`npm test -- store`) keeps only paths containing it.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const files = [];
function collect(dir) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) collect(full);
    else if (name.endsWith('.test.js')) files.push(full);
  }
}
collect('dist/test');
const filters = process.argv.slice(2);
const selected = files.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
if (selected.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const concurrency = process.env.WARDEN_TEST_CONCURRENCY ?? '2';
const result = spawnSync(
  process.execPath,
  ['--test', `--test-concurrency=${concurrency}`, '--enable-source-maps', ...selected],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
