// Certificate-signed models: the chain in the bundle must lead to a CA from the caller's chain
// file(s), the leaf must be allowed to sign, and the leaf's key must verify the envelope.
// Test certificates are made with the openssl command line (Debian package "openssl").
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isWardenError } from '../../src/domain/index.js';
import type { WardenError } from '../../src/domain/index.js';
import { keyUsageBits, signModel, verifyModel } from '../../src/registry/index.js';
import { copyVector, makeTempDir, removeDir, vectorKeys, vectorsRoot, writeKeyPair, writeTree } from './signing-fixtures.js';

async function rejection(promise: Promise<unknown>): Promise<WardenError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isWardenError(error), `expected a WardenError, got ${String(error)}`);
    return error;
  }
  assert.fail('operation succeeded but should have failed');
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A root CA and a leaf signed by it; `leafUsage` is the leaf's keyUsage extension value. */
function makePki(dir: string, prefix: string, leafUsage: string): { root: string; leafKey: string; leafCert: string } {
  const ext = join(dir, `${prefix}-leaf.ext`);
  writeFileSync(ext, `keyUsage=critical,${leafUsage}\nbasicConstraints=CA:FALSE\n`);
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${prefix}-root.key`], dir);
  openssl(
    [
      'req', '-x509', '-new', '-key', `${prefix}-root.key`, '-subj', `/CN=${prefix}-root`, '-days', '3650',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
      '-out', `${prefix}-root.pem`,
    ],
    dir,
  );
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${prefix}-leaf.sec1`], dir);
  openssl(['pkcs8', '-topk8', '-nocrypt', '-in', `${prefix}-leaf.sec1`, '-out', `${prefix}-leaf.key`], dir);
  openssl(['req', '-new', '-key', `${prefix}-leaf.key`, '-subj', `/CN=${prefix}-signer`, '-out', `${prefix}-leaf.csr`], dir);
  openssl(
    [
      'x509', '-req', '-in', `${prefix}-leaf.csr`, '-CA', `${prefix}-root.pem`, '-CAkey', `${prefix}-root.key`,
      '-CAcreateserial', '-days', '365', '-extfile', ext, '-out', `${prefix}-leaf.pem`,
    ],
    dir,
  );
  return { root: join(dir, `${prefix}-root.pem`), leafKey: join(dir, `${prefix}-leaf.key`), leafCert: join(dir, `${prefix}-leaf.pem`) };
}

describe('certificate-signed models', () => {
  let work = '';
  before(async () => {
    work = await makeTempDir('certs');
  });
  after(async () => removeDir(work));

  const vector = 'v1.1.0-certificate';
  const vectorOptions = (folder: string, chain: string[]) => ({
    modelPath: folder,
    signaturePath: join(folder, 'model.sig'),
    certificateChainPaths: chain,
  });

  it('accepts the vector chain when trusting the root, or the intermediate', async () => {
    const folder = join(vectorsRoot, vector);
    const viaRoot = await verifyModel(vectorOptions(folder, [vectorKeys.caCert]));
    assert.equal(viaRoot.signer.kind === 'certificate' ? viaRoot.signer.path.length : 0, 3);
    const viaIntermediate = await verifyModel(vectorOptions(folder, [vectorKeys.intermediateCert]));
    assert.equal(viaIntermediate.signer.kind === 'certificate' ? viaIntermediate.signer.path.at(-1) : '', 'CN=intermediate-ca');
  });

  it('refuses a chain that does not reach a trusted CA', async () => {
    const { root } = makePki(work, 'stranger', 'digitalSignature');
    const error = await rejection(verifyModel(vectorOptions(join(vectorsRoot, vector), [root])));
    assert.equal(error.code, 'SIGNATURE_INVALID');
    assert.match(error.message, /chain does not verify: no trusted issuer/);
  });

  it('refuses when the bundle drops the intermediate the leaf needs', async () => {
    const folder = await copyVector(vector, work);
    const sigPath = join(folder, 'model.sig');
    const bundle = JSON.parse(await readFile(sigPath, 'utf8')) as {
      verificationMaterial: { x509CertificateChain: { certificates: unknown[] } };
    };
    bundle.verificationMaterial.x509CertificateChain.certificates.splice(1);
    await writeFile(sigPath, JSON.stringify(bundle));
    const error = await rejection(verifyModel(vectorOptions(folder, [vectorKeys.caCert])));
    assert.match(error.message, /no trusted issuer found for CN=intermediate-ca/);
  });

  it('refuses to trust the signing certificate alone (it is not its own issuer)', async () => {
    const error = await rejection(verifyModel(vectorOptions(join(vectorsRoot, vector), [vectorKeys.leafCert])));
    assert.match(error.message, /chain does not verify/);
  });

  it('signs with a certificate and verifies against its root; a key-only verification also works', async () => {
    const pki = makePki(work, 'acme', 'digitalSignature');
    const model = join(work, 'cert-model');
    await writeTree(model, { 'weights.bin': Buffer.alloc(10_000, 3), 'config.json': '{}' });
    const signaturePath = join(model, 'model.sig');
    const signed = await signModel({ modelPath: model, keyPath: pki.leafKey, signingCertificatePath: pki.leafCert, signaturePath });
    assert.equal(signed.certificateSubject, 'CN=acme-signer');
    const verified = await verifyModel({ modelPath: model, signaturePath, certificateChainPaths: [pki.root] });
    assert.deepEqual(verified.signer.kind === 'certificate' ? verified.signer.path : [], ['CN=acme-signer', 'CN=acme-root']);
    await writeFile(join(model, 'weights.bin'), Buffer.alloc(10_000, 4));
    const error = await rejection(verifyModel({ modelPath: model, signaturePath, certificateChainPaths: [pki.root] }));
    assert.deepEqual(error.details['changed'], ['weights.bin']);
  });

  it('refuses a leaf whose key usage does not allow signing', async () => {
    const pki = makePki(work, 'enc', 'keyEncipherment');
    assert.deepEqual([...(keyUsageBits(new X509Certificate(await readFile(pki.leafCert))) ?? [])], [2]);
    const model = join(work, 'enc-model');
    await writeTree(model, { 'weights.bin': 'w' });
    const signaturePath = join(model, 'model.sig');
    await signModel({ modelPath: model, keyPath: pki.leafKey, signingCertificatePath: pki.leafCert, signaturePath });
    const error = await rejection(verifyModel({ modelPath: model, signaturePath, certificateChainPaths: [pki.root] }));
    assert.match(error.message, /not allowed to sign/);
  });

  it('refuses to sign with a certificate that belongs to another key', async () => {
    const pki = makePki(work, 'mismatch', 'digitalSignature');
    const other = await writeKeyPair(work, 'mismatch-other', 'prime256v1');
    const model = join(work, 'mismatch-model');
    await writeTree(model, { 'weights.bin': 'w' });
    const error = await rejection(
      signModel({ modelPath: model, keyPath: other.privateKey, signingCertificatePath: pki.leafCert, signaturePath: join(work, 'x.sig') }),
    );
    assert.match(error.message, /does not belong to the private key/);
  });

  it('asks for --public-key when a key-signed bundle is checked against a chain', async () => {
    const folder = join(vectorsRoot, 'v1.1.0-elliptic-key');
    const error = await rejection(verifyModel(vectorOptions(folder, [vectorKeys.caCert])));
    assert.match(error.message, /bare key/);
  });
});
