// Our signatures, checked the way the reference verifier (sigstore/model-transparency) checks
// them, with nothing of Warden's: the bundle's shape compared with a bundle the reference signer
// made (the shared vectors), the DSSE pre-authentication encoding rebuilt by hand and its ECDSA
// signature verified by the openssl command line, every resource digest recomputed by openssl,
// and the subject digest recomputed as the reference library does. The reference tool itself is a
// Python package that cannot be installed here (npm and Debian only), so this is its stand-in.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runWarden } from '../helpers/run-cli.js';
import { vectorsRoot } from './signing-fixtures.js';

type Json = Record<string, unknown>;

function keysOf(value: unknown): string[] {
  return typeof value === 'object' && value !== null ? Object.keys(value).sort() : [];
}

/** DSSE v1 pre-authentication encoding (https://github.com/secure-systems-lab/dsse, protocol.md). */
function pae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

function opensslSha256(file: string): string {
  const out = execFileSync('openssl', ['dgst', '-sha256', '-r', file], { encoding: 'utf8' });
  return out.split(' ')[0] as string;
}

describe('model signing: interoperability with the reference format', () => {
  let dir = '';
  let model = '';
  let bundle: Json;
  let reference: Json;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'warden-sign-interop-'));
    model = join(dir, 'bert-mini');
    await mkdir(join(model, 'tokenizer'), { recursive: true });
    await writeFile(join(model, 'config.json'), '{"hidden_size": 256}\n');
    await writeFile(join(model, 'model.safetensors'), Buffer.alloc(300_000, 7));
    await writeFile(join(model, 'tokenizer', 'vocab.txt'), 'hello\nworld\n');
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await writeFile(join(dir, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await writeFile(join(dir, 'pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
    const signed = await runWarden(['model', 'sign', model, '--key', join(dir, 'key.pem')]);
    assert.equal(signed.code, 0, signed.stderr);
    bundle = JSON.parse(await readFile(join(model, 'model.sig'), 'utf8')) as Json;
    reference = JSON.parse(await readFile(join(vectorsRoot, 'v1.1.0-elliptic-key', 'model.sig'), 'utf8')) as Json;
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('has the layout of a bundle made by the reference signer', () => {
    assert.equal(bundle['mediaType'], reference['mediaType']);
    assert.deepEqual(keysOf(bundle), keysOf(reference));
    assert.deepEqual(keysOf(bundle['verificationMaterial']), keysOf(reference['verificationMaterial']));
    const ours = bundle['dsseEnvelope'] as Json;
    const theirs = reference['dsseEnvelope'] as Json;
    assert.deepEqual(keysOf(ours), keysOf(theirs));
    assert.equal(ours['payloadType'], theirs['payloadType']);
    const [ourSig] = ours['signatures'] as Json[];
    const [theirSig] = theirs['signatures'] as Json[];
    assert.deepEqual(keysOf(ourSig), keysOf(theirSig));
    const statement = (env: Json): Json => JSON.parse(Buffer.from(env['payload'] as string, 'base64').toString('utf8')) as Json;
    const s = statement(ours);
    const r = statement(theirs);
    assert.deepEqual(keysOf(s), keysOf(r));
    assert.equal(s['_type'], r['_type']);
    assert.equal(s['predicateType'], r['predicateType']);
    assert.deepEqual(keysOf(s['predicate']), keysOf(r['predicate']));
    const ser = (x: Json): Json => (x['predicate'] as Json)['serialization'] as Json;
    assert.deepEqual(keysOf(ser(s)), keysOf(ser(r)));
    assert.equal(ser(s)['method'], 'files');
    assert.equal(ser(s)['hash_type'], 'sha256');
  });

  it('carries an ECDSA signature over the DSSE encoding that openssl verifies with the public key', async () => {
    const env = bundle['dsseEnvelope'] as Json;
    const payload = Buffer.from(env['payload'] as string, 'base64');
    const [sig] = env['signatures'] as Json[];
    await writeFile(join(dir, 'pae.bin'), pae(env['payloadType'] as string, payload));
    await writeFile(join(dir, 'sig.der'), Buffer.from(sig?.['sig'] as string, 'base64'));
    const verify = (data: string): string =>
      execFileSync('openssl', ['dgst', '-sha256', '-verify', join(dir, 'pub.pem'), '-signature', join(dir, 'sig.der'), data], { encoding: 'utf8' });
    assert.match(verify(join(dir, 'pae.bin')), /Verified OK/);
    // And not over anything else: the raw payload without the encoding must not verify.
    await writeFile(join(dir, 'raw.bin'), payload);
    assert.throws(() => verify(join(dir, 'raw.bin')));
  });

  it('lists every file with the digest openssl computes, and the reference subject digest', () => {
    const env = bundle['dsseEnvelope'] as Json;
    const statement = JSON.parse(Buffer.from(env['payload'] as string, 'base64').toString('utf8')) as Json;
    const resources = (statement['predicate'] as Json)['resources'] as { name: string; algorithm: string; digest: string }[];
    assert.deepEqual(resources.map((r) => r.name), ['config.json', 'model.safetensors', 'tokenizer/vocab.txt']);
    for (const r of resources) {
      assert.equal(r.algorithm, 'sha256');
      assert.equal(r.digest, opensslSha256(join(model, r.name)), r.name);
    }
    // The reference: SHA-256 over the raw resource digests, in resource order.
    const subject = createHash('sha256');
    for (const r of resources) subject.update(Buffer.from(r.digest, 'hex'));
    const [only] = statement['subject'] as { name: string; digest: { sha256: string } }[];
    assert.equal(only?.name, 'bert-mini');
    assert.equal(only?.digest.sha256, subject.digest('hex'));
  });
});
