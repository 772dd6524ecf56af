// Shared helpers for the model-signing tests: temp folders, generated keys, vector copies.
import { generateKeyPairSync } from 'node:crypto';
import { chmod, cp, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { corporaRoot } from '../helpers/paths.js';

export const vectorsRoot = join(corporaRoot, 'model-signing-vectors');
export const vectorKeys = {
  publicKey: join(vectorsRoot, 'keys', 'signing-key-pub.pem'),
  caCert: join(vectorsRoot, 'keys', 'ca-cert.pem'),
  intermediateCert: join(vectorsRoot, 'keys', 'int-ca-cert.pem'),
  leafCert: join(vectorsRoot, 'keys', 'signing-key-cert.pem'),
};

export async function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `warden-${prefix}-`));
}

export async function removeDir(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}

/** Copies a vector folder into `into` and makes the copy writable (the corpus is read-only). */
export async function copyVector(name: string, into: string): Promise<string> {
  const target = join(into, name);
  await cp(join(vectorsRoot, name), target, { recursive: true });
  await makeWritable(target);
  return target;
}

async function makeWritable(path: string): Promise<void> {
  const info = await stat(path);
  await chmod(path, info.isDirectory() ? 0o755 : 0o644);
  if (info.isDirectory()) for (const entry of await readdir(path)) await makeWritable(join(path, entry));
}

export type TestCurve = 'prime256v1' | 'secp384r1' | 'secp521r1';

/** Writes a fresh EC key pair as PEM files and returns their paths. */
export async function writeKeyPair(dir: string, name: string, curve: TestCurve): Promise<{ privateKey: string; publicKey: string }> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: curve,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const paths = { privateKey: join(dir, `${name}.key.pem`), publicKey: join(dir, `${name}.pub.pem`) };
  await writeFile(paths.privateKey, privateKey);
  await writeFile(paths.publicKey, publicKey);
  return paths;
}

/** Writes files (path → content) under `root`, creating folders. */
export async function writeTree(root: string, files: Readonly<Record<string, string | Buffer>>): Promise<void> {
  for (const [relative, content] of Object.entries(files)) {
    const full = join(root, relative);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
  }
}

/** Flips one bit of the byte at `offset`. */
export function flipByte(buffer: Buffer, offset: number): Buffer {
  const copy = Buffer.from(buffer);
  copy[offset] = (copy[offset] as number) ^ 0x01;
  return copy;
}
