// The workspace's model registry settings: trusted signing keys (files that exist, inside the
// workspace) and per-model permissions, validated with file, line and field like everything else.
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isWardenError } from '../../src/domain/index.js';
import { loadWorkspace, workspaceJsonSchema } from '../../src/workspace/index.js';
import { createWorkspace } from './registry-fixtures.js';
import type { TestWorkspace } from './registry-fixtures.js';

const made: TestWorkspace[] = [];
after(async () => {
  for (const ws of made) await rm(ws.dir, { recursive: true, force: true });
});

async function invalid(options: Parameters<typeof createWorkspace>[0], prepare?: (ws: TestWorkspace) => Promise<void>): Promise<string> {
  const ws = await createWorkspace(options);
  made.push(ws);
  await prepare?.(ws);
  try {
    await loadWorkspace(ws.dir);
  } catch (error) {
    assert.ok(isWardenError(error));
    assert.equal(error.code, 'WORKSPACE_INVALID');
    return error.message;
  }
  assert.fail('the workspace was accepted');
}

describe('workspace: model signing and model permissions', () => {
  it('accepts trusted keys and model permissions, and existing workspaces without them', async () => {
    const ws = await createWorkspace({ modelAccess: '{ read: [ana, "role:security-lead"], export: [bo], promote: [cy], review: [bo] }' });
    made.push(ws);
    const loaded = await loadWorkspace(ws.dir);
    assert.deepEqual(loaded.workspace.model_signing?.trusted_keys.map((k) => k.id), ['release']);
    assert.deepEqual(loaded.workspace.assets.find((a) => a.id === 'fraud')?.controls?.model_access?.promote, ['cy']);
    const plain = await createWorkspace({ trustedKeys: '', modelAccess: '{ promote: [cy] }' });
    made.push(plain);
    assert.equal((await loadWorkspace(plain.dir)).workspace.model_signing, undefined);
  });

  it('names a missing key file, a path outside the workspace and a link leading out', async () => {
    const missing = await invalid({ trustedKeys: 'model_signing:\n  trusted_keys:\n    - { id: gone, public_key: keys/gone.pem }' });
    assert.match(missing, /warden\.yaml:\d+:\d+: model_signing\.trusted_keys\[0\]\.public_key: key file "keys\/gone\.pem" does not exist/);
    const outside = await invalid({ trustedKeys: 'model_signing:\n  trusted_keys:\n    - { id: out, public_key: ../elsewhere.pem }\n    - { id: abs, certificate_chain: [/etc/ssl/ca.pem] }' });
    assert.match(outside, /trusted_keys\[0\]\.public_key: "\.\.\/elsewhere\.pem" points outside the workspace folder/);
    assert.match(outside, /trusted_keys\[1\]\.certificate_chain\[0\]: "\/etc\/ssl\/ca\.pem" must be a path relative to the workspace folder/);
    const linked = await invalid({ trustedKeys: 'model_signing:\n  trusted_keys:\n    - { id: link, public_key: keys/link.pem }' }, async (ws) => {
      await writeFile(join(ws.dir, '..', `outside-${made.length}.pem`), 'x');
      await symlink(join(ws.dir, '..', `outside-${made.length}.pem`), join(ws.dir, 'keys', 'link.pem'));
    });
    assert.match(linked, /resolves \(through a symbolic link\) outside the workspace folder/);
    const folder = await invalid({ trustedKeys: 'model_signing:\n  trusted_keys:\n    - { id: dir, public_key: keys/sub }' }, async (ws) => mkdir(join(ws.dir, 'keys', 'sub')));
    assert.match(folder, /is not a regular file/);
  });

  it('wants exactly one of public_key or certificate_chain, unique ids and known owners', async () => {
    const both = await invalid({ trustedKeys: 'model_signing:\n  trusted_keys:\n    - { id: k, public_key: keys/release.pub.pem, certificate_chain: [keys/release.pub.pem] }\n    - { id: none }' });
    assert.match(both, /trusted_keys\[0\]: give exactly one of public_key or certificate_chain/);
    assert.match(both, /trusted_keys\[1\]: give exactly one of public_key or certificate_chain/);
    const dup = await invalid({ trustedKeys: 'model_signing:\n  trusted_keys:\n    - { id: k, public_key: keys/release.pub.pem, owner: zed }\n    - { id: k, public_key: keys/release.pub.pem }' });
    assert.match(dup, /trusted_keys\[1\]\.id: duplicate id "k"/);
    assert.match(dup, /trusted_keys\[0\]\.owner: unknown person "zed"/);
    const typo = await invalid({ trustedKeys: 'model_signing:\n  trusted_key: []' });
    assert.match(typo, /unknown field "trusted_key"/);
  });

  it('checks model permission entries like access lists, on model assets only', async () => {
    const unknown = await invalid({ modelAccess: '{ promote: [zed], export: ["role:astronaut"], reviews: [bo] }' });
    assert.match(unknown, /unknown field "reviews"/);
    const entries = await invalid({ modelAccess: '{ promote: [zed], export: ["role:astronaut"] }' });
    assert.match(entries, /assets\[2\]\.controls\.model_access\.promote\[0\]: unknown person "zed"/);
    assert.match(entries, /assets\[2\]\.controls\.model_access\.export\[0\]: no person holds role "astronaut"/);
    const ws = await createWorkspace();
    made.push(ws);
    const text = await readFile(join(ws.dir, 'warden.yaml'), 'utf8');
    await writeFile(join(ws.dir, 'warden.yaml'), text.replace('{ id: acme-data, kind: dataset, owner: ana,', '{ id: acme-data, kind: dataset, owner: ana, controls: { model_access: { read: [ana] } },'));
    await assert.rejects(loadWorkspace(ws.dir), /model_access applies to model and model-registry assets, not dataset/);
  });

  it('publishes the new fields in the JSON Schema', () => {
    const text = JSON.stringify(workspaceJsonSchema());
    assert.match(text, /"model_signing"/);
    assert.match(text, /"trusted_keys"/);
    assert.match(text, /"model_access"/);
  });
});
