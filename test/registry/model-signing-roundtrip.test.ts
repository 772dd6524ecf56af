// Sign folders we make with fresh P-256/P-384/P-521 keys, verify them, and check every way a
// tampered model or a wrong key is refused with a reason that names the problem.
import { strict as assert } from 'node:assert';
import { readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isWardenError } from '../../src/domain/index.js';
import type { WardenError } from '../../src/domain/index.js';
import { parseBundle, parseStatementPayload, signModel, verifyModel } from '../../src/registry/index.js';
import { flipByte, makeTempDir, removeDir, writeKeyPair, writeTree } from './signing-fixtures.js';
import type { TestCurve } from './signing-fixtures.js';

async function rejection(promise: Promise<unknown>): Promise<WardenError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isWardenError(error), `expected a WardenError, got ${String(error)}`);
    return error;
  }
  assert.fail('operation succeeded but should have failed');
}

const MODEL_FILES = {
  'config.json': '{"layers": 2}',
  'weights/part-0.bin': Buffer.alloc(300_000, 7),
  'weights/part-1.bin': Buffer.alloc(123_457, 9),
  'tokenizer/vocab.txt': 'a\nb\nc\n',
  'README.md': '',
  '.gitattributes': '*.bin filter=lfs',
  'notes/scratch.txt': 'not part of the model',
};

async function signedNames(signaturePath: string): Promise<string[]> {
  const bundle = parseBundle(await readFile(signaturePath, 'utf8'));
  return parseStatementPayload(bundle.envelope.payload).resources.map((r) => r.name);
}

describe('model signing round trip', () => {
  let work = '';
  before(async () => {
    work = await makeTempDir('roundtrip');
  });
  after(async () => removeDir(work));

  const curves: [TestCurve, string][] = [
    ['prime256v1', 'P-256'],
    ['secp384r1', 'P-384'],
    ['secp521r1', 'P-521'],
  ];
  for (const [curve, label] of curves) {
    it(`signs and verifies with ${label}`, async () => {
      const model = join(work, `model-${curve}`);
      await writeTree(model, MODEL_FILES);
      const keys = await writeKeyPair(work, curve, curve);
      const signed = await signModel({
        modelPath: model,
        keyPath: keys.privateKey,
        signaturePath: join(model, 'model.sig'),
        ignorePaths: ['notes'],
        workers: 2,
      });
      assert.equal(signed.curve, label);
      assert.equal(signed.fileCount, 5);
      const verified = await verifyModel({ modelPath: model, signaturePath: signed.signaturePath, publicKeyPath: keys.publicKey });
      assert.equal(verified.fileCount, 5);
      assert.equal(verified.subjectDigest, signed.subjectDigest);
      assert.deepEqual(verified.signer, { kind: 'public-key', curve: label, keyHint: signed.keyHint });
    });
  }

  it('keeps the signature file, git metadata and ignored paths out of the manifest', async () => {
    const model = join(work, 'model-ignore');
    await writeTree(model, MODEL_FILES);
    const keys = await writeKeyPair(work, 'ignore', 'prime256v1');
    const signaturePath = join(model, 'model.sig');
    await signModel({ modelPath: model, keyPath: keys.privateKey, signaturePath, ignorePaths: ['notes/'] });
    assert.deepEqual(await signedNames(signaturePath), [
      'README.md',
      'config.json',
      'tokenizer/vocab.txt',
      'weights/part-0.bin',
      'weights/part-1.bin',
    ]);
    // Ignored content may change freely; the recorded ignore list is applied by the verifier.
    await writeFile(join(model, 'notes', 'scratch.txt'), 'edited');
    await writeFile(join(model, '.gitattributes'), 'edited');
    const verified = await verifyModel({ modelPath: model, signaturePath, publicKeyPath: keys.publicKey });
    assert.ok(verified.ignorePaths.includes('notes'));
    assert.ok(verified.ignorePaths.includes('model.sig'));
  });

  describe('tampering', () => {
    let model = '';
    let keys = { privateKey: '', publicKey: '' };
    let signaturePath = '';
    before(async () => {
      keys = await writeKeyPair(work, 'tamper', 'secp384r1');
    });

    async function freshModel(name: string): Promise<void> {
      model = join(work, name);
      await writeTree(model, MODEL_FILES);
      signaturePath = join(work, `${name}.sig`);
      await signModel({ modelPath: model, keyPath: keys.privateKey, signaturePath, workers: 2 });
    }

    it('names the file whose content changed', async () => {
      await freshModel('tamper-change');
      const path = join(model, 'weights', 'part-1.bin');
      await writeFile(path, flipByte(await readFile(path), 123_456));
      const error = await rejection(verifyModel({ modelPath: model, signaturePath, publicKeyPath: keys.publicKey }));
      assert.equal(error.code, 'SIGNATURE_INVALID');
      assert.deepEqual(error.details, { changed: ['weights/part-1.bin'], added: [], missing: [] });
      assert.match(error.message, /changed: weights\/part-1\.bin/);
    });

    it('names added and missing files', async () => {
      await freshModel('tamper-add-remove');
      await rm(join(model, 'tokenizer', 'vocab.txt'));
      await writeFile(join(model, 'weights', 'part-2.bin'), 'smuggled');
      const error = await rejection(verifyModel({ modelPath: model, signaturePath, publicKeyPath: keys.publicKey }));
      assert.deepEqual(error.details, { changed: [], added: ['weights/part-2.bin'], missing: ['tokenizer/vocab.txt'] });
    });

    it('prints a hostile file name without its terminal control characters', async () => {
      await freshModel('tamper-escape');
      await writeFile(join(model, 'evil\u001b[2J.bin'), 'x');
      const error = await rejection(verifyModel({ modelPath: model, signaturePath, publicKeyPath: keys.publicKey }));
      assert.match(error.message, /added \(not covered by the signature\): evil\\u001b\[2J\.bin/);
      assert.ok(!error.message.includes('\u001b'));
    });

    it('refuses a signature made with another key', async () => {
      await freshModel('tamper-key');
      const other = await writeKeyPair(work, 'other', 'secp384r1');
      const error = await rejection(verifyModel({ modelPath: model, signaturePath, publicKeyPath: other.publicKey }));
      assert.equal(error.code, 'SIGNATURE_INVALID');
      assert.match(error.message, /different key/);
    });

    it('refuses an altered signature value', async () => {
      await freshModel('tamper-sig');
      const bundle = JSON.parse(await readFile(signaturePath, 'utf8')) as { dsseEnvelope: { signatures: { sig: string }[] } };
      const signature = bundle.dsseEnvelope.signatures[0] as { sig: string };
      signature.sig = flipByte(Buffer.from(signature.sig, 'base64'), 40).toString('base64');
      await writeFile(signaturePath, JSON.stringify(bundle));
      const error = await rejection(verifyModel({ modelPath: model, signaturePath, publicKeyPath: keys.publicKey }));
      assert.match(error.message, /bad signature/);
    });

    it('refuses a symbolic link added to the model', async () => {
      await freshModel('tamper-link');
      await symlink('/etc/hostname', join(model, 'weights', 'link.bin'));
      const error = await rejection(verifyModel({ modelPath: model, signaturePath, publicKeyPath: keys.publicKey }));
      assert.equal(error.code, 'INPUT_INVALID');
      assert.match(error.message, /symbolic link/);
    });
  });

  it('shards: signs, verifies and names the file of a changed shard', async () => {
    const model = join(work, 'model-shards');
    await writeTree(model, MODEL_FILES);
    const keys = await writeKeyPair(work, 'shards', 'prime256v1');
    const signaturePath = join(work, 'shards.sig');
    const signed = await signModel({
      modelPath: model,
      keyPath: keys.privateKey,
      signaturePath,
      method: 'shards',
      shardSize: 100_000,
      workers: 2,
    });
    // part-0: 3 shards, part-1: 2 shards, config, vocab, .gitattributes ignored, README empty (no shard), notes: 1.
    assert.equal(signed.resourceCount, 3 + 2 + 1 + 1 + 1);
    const names = await signedNames(signaturePath);
    assert.ok(names.includes('weights/part-1.bin:100000:123457'));
    await verifyModel({ modelPath: model, signaturePath, publicKeyPath: keys.publicKey });
    const path = join(model, 'weights', 'part-0.bin');
    await writeFile(path, flipByte(await readFile(path), 250_000));
    const error = await rejection(verifyModel({ modelPath: model, signaturePath, publicKeyPath: keys.publicKey }));
    assert.deepEqual(error.details['changed'], ['weights/part-0.bin']);
  });

  it('signs a single-file model under the resource name "."', async () => {
    const model = join(work, 'single');
    await writeTree(model, { 'model.safetensors': Buffer.alloc(4096, 1) });
    const keys = await writeKeyPair(work, 'single', 'prime256v1');
    const file = join(model, 'model.safetensors');
    const signaturePath = join(work, 'single.sig');
    await signModel({ modelPath: file, keyPath: keys.privateKey, signaturePath });
    assert.deepEqual(await signedNames(signaturePath), ['.']);
    const verified = await verifyModel({ modelPath: file, signaturePath, publicKeyPath: keys.publicKey });
    assert.equal(verified.fileCount, 1);
    const error = await rejection(verifyModel({ modelPath: model, signaturePath, publicKeyPath: keys.publicKey }));
    assert.match(error.message, /single-file model/);
  });

  it('refuses to sign an empty model', async () => {
    const model = join(work, 'empty');
    await writeTree(model, { '.gitignore': '*' });
    const keys = await writeKeyPair(work, 'empty', 'prime256v1');
    const error = await rejection(signModel({ modelPath: model, keyPath: keys.privateKey, signaturePath: join(work, 'empty.sig') }));
    assert.match(error.message, /no files to sign/);
  });
});
