import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WardenError } from '../../src/domain/index.js';
import { loadWorkspace, parseWorkspaceText, workspaceJsonSchema, workspaceTemplate } from '../../src/workspace/index.js';
import { examplesRoot } from '../helpers/paths.js';

const VALID = `version: 1
organisation:
  name: Acme
  headcount: 8
people:
  - id: ann
    name: Ann
    email: ann@acme.example
    roles: [security-lead]
assets:
  - id: data
    kind: dataset
    owner: ann
    classification: internal
    controls:
      access_logging: true
`;

function problemsOf(text: string): { line: number; column: number; field: string; message: string }[] {
  try {
    parseWorkspaceText(text, 'warden.yaml');
  } catch (error) {
    assert.ok(error instanceof WardenError, 'a WardenError');
    assert.equal(error.code, 'WORKSPACE_INVALID');
    return error.details['problems'] as { line: number; column: number; field: string; message: string }[];
  }
  assert.fail('expected the workspace to be rejected');
}

describe('workspace loader', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'warden-ws-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the demo workspace with its assets, people and clients', async () => {
    const loaded = await loadWorkspace(join(examplesRoot, 'northwind-ai'));
    assert.equal(loaded.workspace.organisation.name, 'Northwind AI');
    assert.equal(loaded.workspace.organisation.headcount, 22);
    assert.equal(loaded.workspace.clients.length, 3);
    assert.ok(loaded.workspace.assets.length >= 10);
    assert.match(loaded.digest, /^[0-9a-f]{64}$/);
    assert.ok((loaded.assetLines.get('research-notebooks') ?? 0) > 100, 'asset lines point into the file');
  });

  it('accepts the template that `warden init` writes', () => {
    const ws = parseWorkspaceText(workspaceTemplate('Acme "Labs"', '2026-01-01'), 'warden.yaml');
    assert.equal(ws.organisation.name, 'Acme "Labs"');
    assert.equal(ws.assets[0]?.kind, 'dataset');
  });

  it('names line, column and field for a value of the wrong type', () => {
    const problems = problemsOf(VALID.replace('headcount: 8', 'headcount: many'));
    assert.equal(problems.length, 1);
    assert.deepEqual([problems[0]?.line, problems[0]?.column, problems[0]?.field], [4, 14, 'organisation.headcount']);
    assert.match(problems[0]?.message ?? '', /number/);
  });

  it('points at a misspelt security setting rather than ignoring it', () => {
    const problems = problemsOf(VALID.replace('access_logging: true', 'acess_logging: true'));
    assert.equal(problems[0]?.field, 'assets[0].controls.acess_logging');
    assert.equal(problems[0]?.line, 16);
    assert.match(problems[0]?.message ?? '', /unknown field "acess_logging"/);
  });

  it('reports every problem at once, with enum choices', () => {
    const text = VALID.replace('kind: dataset', 'kind: database').replace('classification: internal', 'classification: secret');
    const problems = problemsOf(text);
    assert.equal(problems.length, 2);
    assert.deepEqual(problems.map((p) => p.field).sort(), ['assets[0].classification', 'assets[0].kind']);
    assert.ok(problems.every((p) => /expected one of/i.test(p.message)), JSON.stringify(problems));
  });

  it('rejects YAML syntax errors with their position', () => {
    const problems = problemsOf('version: 1\norganisation: [unclosed\n');
    assert.ok((problems[0]?.line ?? 0) >= 2);
  });

  it('rejects duplicate keys, which would silently override a setting', () => {
    const problems = problemsOf(VALID.replace('      access_logging: true', '      access_logging: true\n      access_logging: false'));
    assert.match(problems[0]?.message ?? '', /unique|duplicate/i);
    assert.equal(problems[0]?.line, 17);
  });

  it('rejects dangling references: owner, access entries, lineage, attestations', () => {
    const text = `${VALID.replace('owner: ann', 'owner: bob')}      access: [ann, carol, role:wizard]
    lineage: { derived_from: [nowhere] }
attestations:
  - { control: WD-NOPE-01, by: ann, on: 2026-01-01 }
`;
    const problems = problemsOf(text);
    const fields = problems.map((p) => p.field);
    assert.ok(fields.includes('assets[0].owner'), fields.join());
    assert.ok(fields.includes('assets[0].controls.access[1]'), fields.join());
    assert.ok(fields.includes('assets[0].controls.access[2]'), fields.join());
    assert.ok(fields.includes('assets[0].lineage.derived_from[0]'), fields.join());
    assert.ok(fields.includes('attestations[0].control'), fields.join());
    const owner = problems.find((p) => p.field === 'assets[0].owner');
    assert.equal(owner?.line, 13);
  });

  it('rejects lineage cycles', () => {
    const text = `${VALID}    lineage: { derived_from: [b] }
  - id: b
    kind: dataset
    owner: ann
    lineage: { derived_from: [data] }
`;
    const problems = problemsOf(text);
    assert.match(problems.map((p) => p.message).join(), /cycle: (data -> b -> data|b -> data -> b)/);
  });

  it('refuses an empty file and names what is expected', () => {
    assert.match(problemsOf('')[0]?.message ?? '', /empty/);
  });

  it('loads from a folder and says how to start when there is no workspace', async () => {
    await writeFile(join(dir, 'warden.yaml'), VALID);
    const loaded = await loadWorkspace(dir);
    assert.equal(loaded.workspace.people[0]?.id, 'ann');
    await assert.rejects(loadWorkspace(join(dir, 'missing')), (e: unknown) => e instanceof WardenError && e.code === 'WORKSPACE_NOT_FOUND');
    const empty = await mkdtemp(join(tmpdir(), 'warden-empty-'));
    await assert.rejects(loadWorkspace(empty), /warden init/);
    await rm(empty, { recursive: true });
  });

  it('publishes a JSON Schema that lists the asset kinds', () => {
    const schema = JSON.stringify(workspaceJsonSchema());
    for (const kind of ['notebook-server', 'inference-endpoint', 'code-repository']) assert.ok(schema.includes(kind), kind);
  });
});
