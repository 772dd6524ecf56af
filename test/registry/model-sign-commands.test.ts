// `warden model sign|verify` as a user types them: success lines, JSON output, and failures thrown
// as WardenError (the program maps their kind to the exit code).
import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command } from 'commander';
import { registerModelSignCommands } from '../../src/cli/commands/model-sign-commands.js';
import { isWardenError } from '../../src/domain/index.js';
import { makeTempDir, removeDir, vectorKeys, vectorsRoot, writeKeyPair, writeTree } from './signing-fixtures.js';

interface Run {
  readonly stdout: string;
  readonly stderr: string;
  readonly error: unknown;
}

async function run(args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const program = new Command('warden').exitOverride();
  registerModelSignCommands(program.command('model'), {
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
  });
  let error: unknown = null;
  try {
    await program.parseAsync(['model', ...args], { from: 'user' });
  } catch (caught) {
    error = caught;
  }
  return { stdout, stderr, error };
}

describe('warden model sign / verify', () => {
  let work = '';
  before(async () => {
    work = await makeTempDir('cli');
  });
  after(async () => removeDir(work));

  it('signs into <model>/model.sig by default and verifies it', async () => {
    const model = join(work, 'm1');
    await writeTree(model, { 'a.bin': 'aaa', 'b/c.bin': 'ccc', 'ignore-me': 'x' });
    const keys = await writeKeyPair(work, 'cli', 'prime256v1');
    const signed = await run(['sign', model, '--key', keys.privateKey, '--ignore-paths', 'ignore-me']);
    assert.equal(signed.error, null);
    assert.match(signed.stdout, /^signed 2 files .* with key sha256:[0-9a-f]{16}… \(ECDSA P-256\); signature written to .*model\.sig\n$/);
    const verified = await run(['verify', model, '--signature', join(model, 'model.sig'), '--public-key', keys.publicKey]);
    assert.equal(verified.error, null);
    assert.match(verified.stdout, /^verified 2 files \(6 B\) of model m1, signed by key sha256:/);
  });

  it('prints a JSON document for verify and refuses a tampered model', async () => {
    const folder = join(vectorsRoot, 'v1.1.0-elliptic-key');
    const ok = await run([
      'verify', folder, '--signature', join(folder, 'model.sig'), '--public-key', vectorKeys.publicKey, '--format', 'json',
    ]);
    assert.equal(ok.error, null);
    const document = JSON.parse(ok.stdout) as { verified: boolean; fileCount: number; signer: { kind: string } };
    assert.equal(document.verified, true);
    assert.equal(document.fileCount, 2);
    assert.equal(document.signer.kind, 'public-key');

    const model = join(work, 'm2');
    await writeTree(model, { 'w.bin': 'weights' });
    const keys = await writeKeyPair(work, 'cli2', 'secp521r1');
    await run(['sign', model, '--key', keys.privateKey]);
    await writeFile(join(model, 'w.bin'), 'weightz');
    const bad = await run(['verify', model, '--signature', join(model, 'model.sig'), '--public-key', keys.publicKey, '--format', 'json']);
    assert.ok(isWardenError(bad.error));
    assert.equal(bad.error.kind, 'refused');
    const failed = JSON.parse(bad.stdout) as { verified: boolean; code: string; details: { changed: string[] } };
    assert.equal(failed.verified, false);
    assert.equal(failed.code, 'SIGNATURE_INVALID');
    assert.deepEqual(failed.details.changed, ['w.bin']);
  });

  it('verifies a certificate vector with --certificate-chain', async () => {
    const folder = join(vectorsRoot, 'v1.0.1-certificate');
    const result = await run([
      'verify', folder, '--signature', join(folder, 'model.sig'), '--certificate-chain', vectorKeys.caCert, '--ignore-paths', 'ignore-me',
    ]);
    assert.equal(result.error, null);
    assert.match(result.stdout, /signed by certificate CN=intermediate-ca .*CN=root-ca\)/);
  });

  it('is a usage error to give both or neither of --public-key and --certificate-chain', async () => {
    const folder = join(vectorsRoot, 'v1.1.0-elliptic-key');
    const neither = await run(['verify', folder, '--signature', join(folder, 'model.sig')]);
    assert.ok(isWardenError(neither.error));
    assert.equal(neither.error.kind, 'usage');
    const both = await run([
      'verify', folder, '--signature', join(folder, 'model.sig'), '--public-key', vectorKeys.publicKey, '--certificate-chain', vectorKeys.caCert,
    ]);
    assert.ok(isWardenError(both.error));
    assert.equal(both.error.kind, 'usage');
  });
});
