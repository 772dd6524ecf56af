// Keeps the architecture rules of DEVELOPERS.md true by reading the source: dependencies point
// inward, modules are used through their index.ts, the domain does no I/O, names are kebab-case,
// and no `any` or silent catch creeps in.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../helpers/paths.js';

const SRC = join(projectRoot, 'src');

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...tsFiles(full));
    else if (name.endsWith('.ts')) out.push(full);
  }
  return out;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\s+from\s+)?['"]([^'"]+)['"]/g;
const DYNAMIC = /import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT), ...text.matchAll(DYNAMIC)].map((m) => m[1] as string);
}

function moduleOf(file: string): string {
  return relative(SRC, file).split(sep)[0] ?? '';
}

/** The closest folder at or above `dir` (inside src/) that has an index.ts. */
function owningModuleDir(file: string): string {
  let dir = dirname(file);
  while (dir.startsWith(SRC) && dir !== SRC) {
    if (existsSync(join(dir, 'index.ts'))) return dir;
    dir = dirname(dir);
  }
  return dir;
}

// Lower ranks are more inward; a module may import only from strictly lower ranks (or itself).
const RANK: Readonly<Record<string, number>> = {
  domain: 0,
  catalog: 1,
  lineage: 1,
  workspace: 2,
  scanners: 2,
  store: 2,
  engine: 3,
  registry: 3,
  vault: 3,
  ledger: 3,
  access: 3,
  incidents: 3,
  reports: 4,
  server: 5,
  cli: 6,
};

const files = tsFiles(SRC);

describe('architecture', () => {
  it('knows every module folder in src/', () => {
    const unknown = [...new Set(files.map(moduleOf))].filter((m) => RANK[m] === undefined && !m.endsWith('.ts'));
    assert.deepEqual(unknown, [], 'add new modules to RANK with their place in the layering');
  });

  it('keeps the domain free of our other modules and of Node I/O', () => {
    for (const file of files.filter((f) => moduleOf(f) === 'domain')) {
      for (const spec of importsOf(file)) {
        assert.ok(!spec.startsWith('node:') && !['fs', 'net', 'http', 'child_process'].includes(spec), `${relative(projectRoot, file)} imports ${spec}`);
        if (spec.startsWith('.')) {
          const target = resolve(dirname(file), spec);
          assert.equal(moduleOf(target), 'domain', `${relative(projectRoot, file)} imports ${spec}`);
        }
      }
    }
  });

  it('points dependencies inward and goes through each module\'s index.ts', () => {
    const problems: string[] = [];
    for (const file of files) {
      const from = moduleOf(file);
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
        if (!target.startsWith(SRC)) {
          problems.push(`${relative(projectRoot, file)}: imports outside src/: ${spec}`);
          continue;
        }
        const to = moduleOf(target);
        if (to !== from && (RANK[to] ?? 99) >= (RANK[from] ?? -1)) problems.push(`${relative(projectRoot, file)}: ${from} must not depend on ${to}`);
        const owner = owningModuleDir(target);
        const inside = dirname(file) === owner || dirname(file).startsWith(owner + sep);
        if (!inside && target !== join(owner, 'index.ts')) {
          problems.push(`${relative(projectRoot, file)}: import ${spec} reaches into ${relative(SRC, owner)}; import its index.ts`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  it('names files in kebab-case', () => {
    const bad = files.map((f) => relative(SRC, f)).filter((f) => !f.split(sep).every((part) => /^[a-z0-9]+(-[a-z0-9]+)*(\.ts)?$/.test(part)));
    assert.deepEqual(bad, []);
  });

  it('has no `any` and no silent catch in src/', () => {
    const problems: string[] = [];
    for (const file of files) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (/(:\s*any\s*([;,)=>\]|{]|$)|\bas any\b|<any>)/.test(line) && !/^\s*(\/\/|\*)/.test(line)) problems.push(`${relative(projectRoot, file)}:${i + 1}: any`);
        if (/catch\s*(\([^)]*\))?\s*\{\s*\}/.test(line)) problems.push(`${relative(projectRoot, file)}:${i + 1}: empty catch`);
      });
    }
    assert.deepEqual(problems, []);
  });

  it('keeps files to a readable size (split past 500 lines)', () => {
    const long = files.filter((f) => readFileSync(f, 'utf8').split('\n').length > 500).map((f) => relative(projectRoot, f));
    assert.deepEqual(long, []);
  });
});
