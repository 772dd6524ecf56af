// The CLI as a user meets it: init, schema, assess with every output option, exit codes, errors.
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { examplesRoot } from '../helpers/paths.js';
import { runWarden } from '../helpers/run-cli.js';

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

describe('warden CLI: workspace and assessment', () => {
  let dir = '';
  let demo = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'warden-cli-'));
    demo = join(dir, 'demo');
    await cp(join(examplesRoot, 'northwind-ai'), demo, { recursive: true, filter: (src) => !src.includes('.warden') });
    // A unique organisation name keeps this test's runs apart in a shared PostgreSQL database.
    const yaml = await readFile(join(demo, 'warden.yaml'), 'utf8');
    await writeFile(join(demo, 'warden.yaml'), yaml.replace('name: Northwind AI', `name: Northwind AI cli-${process.pid}-${Date.now()}`));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('prints its version and help', async () => {
    const v = await runWarden(['--version']);
    assert.equal(v.code, 0);
    assert.match(v.stdout, /^\d+\.\d+\.\d+/);
    const h = await runWarden(['--help']);
    assert.equal(h.code, 0);
    for (const cmd of ['init', 'assess', 'scan', 'history', 'diff', 'schema']) assert.match(h.stdout, new RegExp(`\\b${cmd}\\b`));
  });

  it('init writes a commented warden.yaml that assesses, and never overwrites one', async () => {
    const ws = join(dir, 'fresh');
    const first = await runWarden(['init', ws, '--name', 'Fresh Labs']);
    assert.equal(first.code, 0, first.stderr);
    const text = await readFile(join(ws, 'warden.yaml'), 'utf8');
    assert.match(text, /^# warden\.yaml/);
    assert.match(text, /name: "Fresh Labs"/);
    const again = await runWarden(['init', ws]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists; nothing was written/);
    assert.equal(await readFile(join(ws, 'warden.yaml'), 'utf8'), text);
    const assessed = await runWarden(['assess', ws, '--no-store', '--format', 'json']);
    assert.equal(assessed.code, 0, assessed.stderr);
    assert.ok(Array.isArray(JSON.parse(assessed.stdout).findings));
  });

  it('rejects a broken warden.yaml with file, line, column and field, exit 2, and writes nothing', async () => {
    const ws = join(dir, 'broken');
    await runWarden(['init', ws]);
    const file = join(ws, 'warden.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('headcount: 8', 'headcount: eight').replace('kind: dataset', 'kind: databank'));
    const r = await runWarden(['assess', ws]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /warden\.yaml:\d+:\d+: organisation\.headcount: expected number/);
    assert.match(r.stderr, /warden\.yaml:\d+:\d+: assets\[0\]\.kind: .*expected one of/);
    assert.match(r.stderr, /2 problems/);
    assert.equal(await exists(join(ws, '.warden')), false, 'no database was created');
  });

  it('assesses to JSON in the documented finding shape, and --fail-on sets the exit code', async () => {
    const out = join(dir, 'report.json');
    const r = await runWarden(['assess', demo, '--format', 'json', '--out', out, '--no-store']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /wrote json report/);
    const report = JSON.parse(await readFile(out, 'utf8'));
    assert.ok(report.findings.length > 10);
    for (const f of report.findings) {
      assert.equal(typeof f.ruleId, 'string');
      assert.match(f.severity, /^(critical|high|medium|low|info)$/);
      assert.equal(typeof f.message, 'string');
      assert.equal(typeof f.location.path, 'string');
    }
    assert.ok(report.findings.some((f: { ruleId: string; asset?: string }) => f.ruleId === 'control/WD-INFRA-04' && f.asset === 'research-notebooks'));
    assert.equal(report.assets.length, 15);
    const failing = await runWarden(['assess', demo, '--format', 'json', '--fail-on', 'critical', '--no-store', '--quiet']);
    assert.equal(failing.code, 1);
    assert.equal(failing.stderr, '', '--quiet keeps standard error empty');
  });

  it('renders every format; the terminal table has no colour outside a terminal', async () => {
    const table = await runWarden(['assess', demo, '--no-store']);
    assert.equal(table.code, 0, table.stderr);
    assert.ok(!table.stdout.includes('\u001b['), 'no ANSI escapes when not a TTY');
    assert.match(table.stdout, /research-notebooks/);
    const sarif = JSON.parse((await runWarden(['assess', demo, '--no-store', '--format', 'sarif'])).stdout);
    assert.equal(sarif.version, '2.1.0');
    assert.ok(sarif.runs[0].results.length > 0);
    const md = await runWarden(['assess', demo, '--no-store', '--format', 'markdown']);
    assert.match(md.stdout, /^#/m);
    const html = await runWarden(['assess', demo, '--no-store', '--format', 'html', '--out', join(dir, 'r.html')]);
    assert.equal(html.code, 0, html.stderr);
    const page = await readFile(join(dir, 'r.html'), 'utf8');
    assert.match(page, /<svg/);
    assert.ok(!/(src|href)=["']https?:/.test(page), 'self-contained: no remote resources');
  });

  it('refuses unknown commands, formats and severities with exit 2', async () => {
    assert.equal((await runWarden(['assess', demo, '--format', 'pdf'])).code, 2);
    assert.equal((await runWarden(['assess', demo, '--fail-on', 'severe'])).code, 2);
    assert.equal((await runWarden(['frobnicate'])).code, 2);
    const missing = await runWarden(['assess', join(dir, 'nowhere')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /No workspace at/);
  });

  it('prints the JSON Schema of warden.yaml', async () => {
    const r = await runWarden(['schema']);
    assert.equal(r.code, 0);
    const schema = JSON.parse(r.stdout);
    assert.ok(schema.properties.assets);
    assert.ok(schema.properties.organisation);
  });

  it('keeps runs: history lists them and diff shows what got better', async () => {
    const first = await runWarden(['assess', demo, '--quiet']);
    assert.equal(first.code, 0, first.stderr);
    const file = join(demo, 'warden.yaml');
    const yaml = await readFile(file, 'utf8');
    await writeFile(file, yaml.replace('encryption: { at_rest: false, in_transit: true }', 'encryption: { at_rest: true, in_transit: true, key: customer-managed }'));
    const second = await runWarden(['assess', demo, '--quiet']);
    assert.equal(second.code, 0, second.stderr);
    const history = await runWarden(['history', '-w', demo, '--format', 'json']);
    assert.equal(history.code, 0, history.stderr);
    const runs = JSON.parse(history.stdout).runs;
    assert.equal(runs.length, 2);
    assert.ok(runs[0].score > runs[1].score, 'newest first, and better');
    const diff = await runWarden(['diff', 'latest~1', 'latest', '-w', demo, '--format', 'json']);
    assert.equal(diff.code, 0, diff.stderr);
    const d = JSON.parse(diff.stdout);
    assert.ok(d.controls.fixed.some((c: { controlId: string; asset?: string }) => c.controlId === 'WD-DATA-03' && c.asset === 'mercy-patient-records'));
    assert.ok(d.score.delta > 0);
    const text = await runWarden(['diff', '-w', demo]);
    assert.match(text.stdout, /Better: 1 fixed/);
    assert.equal((await runWarden(['diff', 'nope1234', 'latest', '-w', demo])).code, 2);
  });
});
