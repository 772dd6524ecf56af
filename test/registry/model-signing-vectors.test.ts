// External vectors from sigstore/model-transparency (v1.0.0 … v1.1.0, key and certificate): every
// one must verify, and every tampering with a copy must fail with a precise reason.
import { strict as assert } from 'node:assert';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isWardenError } from '../../src/domain/index.js';
import type { WardenError } from '../../src/domain/index.js';
import {
  computeManifest,
  normaliseIgnorePath,
  parseBundle,
  parseStatementPayload,
  publicKeyHint,
  loadPublicKey,
  verifyModel,
  walkModel,
  collectIgnorePaths,
} from '../../src/registry/index.js';
import type { VerifyModelOptions } from '../../src/registry/index.js';
import { copyVector, flipByte, makeTempDir, removeDir, vectorKeys, vectorsRoot } from './signing-fixtures.js';

interface Vector {
  readonly name: string;
  readonly kind: 'key' | 'certificate';
  /** v1.0.0-elliptic-key signed the single file signme-1 (its resource is "."). */
  readonly modelFile?: string;
  /** v1.0.1 recorded no ignore list, so `ignore-me` must be ignored by the verifier. */
  readonly extraIgnore?: readonly string[];
}

const VECTORS: readonly Vector[] = [
  { name: 'v1.0.0-certificate', kind: 'certificate' },
  { name: 'v1.0.0-elliptic-key', kind: 'key', modelFile: 'signme-1' },
  { name: 'v1.0.1-certificate', kind: 'certificate', extraIgnore: ['ignore-me'] },
  { name: 'v1.0.1-elliptic-key', kind: 'key', extraIgnore: ['ignore-me'] },
  { name: 'v1.1.0-certificate', kind: 'certificate' },
  { name: 'v1.1.0-elliptic-key', kind: 'key' },
];

function optionsFor(vector: Vector, folder: string): VerifyModelOptions {
  return {
    modelPath: vector.modelFile === undefined ? folder : join(folder, vector.modelFile),
    signaturePath: join(folder, 'model.sig'),
    ...(vector.kind === 'key' ? { publicKeyPath: vectorKeys.publicKey } : { certificateChainPaths: [vectorKeys.caCert] }),
    ignorePaths: vector.extraIgnore ?? [],
    workers: 1,
  };
}

async function rejection(promise: Promise<unknown>): Promise<WardenError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isWardenError(error), `expected a WardenError, got ${String(error)}`);
    return error;
  }
  assert.fail('verification succeeded but should have failed');
}

describe('model signing vectors (sigstore/model-transparency)', () => {
  let work = '';
  before(async () => {
    work = await makeTempDir('vectors');
  });
  after(async () => removeDir(work));

  for (const vector of VECTORS) {
    describe(vector.name, () => {
      it('verifies as published', async () => {
        const result = await verifyModel(optionsFor(vector, join(vectorsRoot, vector.name)));
        assert.equal(result.fileCount, vector.modelFile === undefined ? 2 : 1);
        assert.equal(result.signer.kind, vector.kind === 'key' ? 'public-key' : 'certificate');
        assert.equal(result.signer.curve, 'P-384');
        if (result.signer.kind === 'certificate') assert.equal(result.signer.path.at(-1), 'CN=root-ca');
      });

      for (const file of vector.modelFile === undefined ? ['signme-1', 'signme-2'] : ['signme-1']) {
        it(`fails when one byte of ${file} changes`, async () => {
          const folder = await copyVector(vector.name, join(work, `${vector.name}-byte-${file}`));
          const path = join(folder, file);
          await writeFile(path, flipByte(await readFile(path), 0));
          const error = await rejection(verifyModel(optionsFor(vector, folder)));
          assert.equal(error.code, 'SIGNATURE_INVALID');
          const expectedName = vector.modelFile === undefined ? file : '.';
          assert.deepEqual(error.details['changed'], [expectedName]);
          assert.match(error.message, /changed/);
        });
      }

      it('fails when the signed payload is altered', async () => {
        const folder = await copyVector(vector.name, join(work, `${vector.name}-payload`));
        const sigPath = join(folder, 'model.sig');
        const bundle = JSON.parse(await readFile(sigPath, 'utf8')) as { dsseEnvelope: { payload: string } };
        const payload = Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8');
        // Re-point the first resource at another digest: a forger's attempt to bless other bytes.
        const forged = payload.replace(/"digest": "([0-9a-f])/, (_m, c: string) => `"digest": "${c === '0' ? '1' : '0'}`);
        assert.notEqual(forged, payload);
        bundle.dsseEnvelope.payload = Buffer.from(forged, 'utf8').toString('base64');
        await writeFile(sigPath, JSON.stringify(bundle));
        const error = await rejection(verifyModel(optionsFor(vector, folder)));
        assert.equal(error.code, 'SIGNATURE_INVALID');
        assert.match(error.message, /bad signature/);
      });

      if (vector.modelFile === undefined) {
        it('fails when a file is added', async () => {
          const folder = await copyVector(vector.name, join(work, `${vector.name}-added`));
          await writeFile(join(folder, 'extra.bin'), 'not signed');
          const error = await rejection(verifyModel(optionsFor(vector, folder)));
          assert.deepEqual(error.details['added'], ['extra.bin']);
        });

        it('fails when a signed file is removed', async () => {
          const folder = await copyVector(vector.name, join(work, `${vector.name}-removed`));
          await rm(join(folder, 'signme-2'));
          const error = await rejection(verifyModel(optionsFor(vector, folder)));
          assert.deepEqual(error.details['missing'], ['signme-2']);
        });
      }

      if (vector.name !== 'v1.0.0-certificate' && vector.modelFile === undefined) {
        it('still verifies when the ignored file changes', async () => {
          const folder = await copyVector(vector.name, join(work, `${vector.name}-ignored`));
          await writeFile(join(folder, 'ignore-me'), 'anything at all');
          const result = await verifyModel(optionsFor(vector, folder));
          assert.equal(result.fileCount, 2);
        });
      }
    });
  }

  it('v1.0.1 fails without --ignore-paths because ignore-me was never signed', async () => {
    const vector = VECTORS[3] as Vector;
    const error = await rejection(verifyModel({ ...optionsFor(vector, join(vectorsRoot, vector.name)), ignorePaths: [] }));
    assert.deepEqual(error.details['added'], ['ignore-me']);
  });

  it('computes the same resources and subject digest as the reference for every folder vector', async () => {
    for (const vector of VECTORS.filter((v) => v.modelFile === undefined)) {
      const folder = join(vectorsRoot, vector.name);
      const bundle = parseBundle(await readFile(join(folder, 'model.sig'), 'utf8'));
      const statement = parseStatementPayload(bundle.envelope.payload);
      const recorded = (statement.serialization.ignorePaths ?? []).map((p) => normaliseIgnorePath(p) ?? '');
      const ignorePaths = collectIgnorePaths([...recorded, ...(vector.extraIgnore ?? [])], true, 'model.sig');
      const listing = await walkModel(folder, { ignorePaths, allowSymlinks: false });
      const ours = await computeManifest(listing, statement.serialization, { workers: 2 });
      assert.deepEqual(ours.resources, statement.resources, vector.name);
    }
  });

  it('derives the same public-key hint as the reference signer', async () => {
    const bundle = parseBundle(await readFile(join(vectorsRoot, 'v1.1.0-elliptic-key', 'model.sig'), 'utf8'));
    assert.equal(bundle.material.kind, 'public-key');
    const { key } = loadPublicKey(await readFile(vectorKeys.publicKey), vectorKeys.publicKey);
    assert.equal(bundle.material.kind === 'public-key' ? bundle.material.hint : null, publicKeyHint(key));
  });
});
