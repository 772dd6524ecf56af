// Shared setup for the model registry tests: a workspace on disk with people, clients, a model
// asset with lineage and permissions, a trusted signing key (and an untrusted one), model folders.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { signModel } from '../../src/registry/index.js';
import type { RegistryContext } from '../../src/registry/index.js';
import { modelScanner } from '../../src/scanners/models/index.js';
import type { Store } from '../../src/store/index.js';
import { loadWorkspace } from '../../src/workspace/index.js';

/** A protocol-0 pickle that imports os.system and calls it: what a poisoned checkpoint does. */
export const EVIL_PICKLE = Buffer.from("cos\nsystem\n(S'echo pwned'\ntR.", 'latin1');

export interface KeyFiles {
  readonly privateKey: string;
  readonly publicKey: string;
}

export function writeEcKeys(dir: string, name: string): Promise<KeyFiles> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const paths = { privateKey: join(dir, `${name}.key.pem`), publicKey: join(dir, `${name}.pub.pem`) };
  return Promise.all([writeFile(paths.privateKey, privateKey), writeFile(paths.publicKey, publicKey)]).then(() => paths);
}

export interface WorkspaceOptions {
  /** The model is also trained on globex's data (cross-client). */
  readonly crossClient?: boolean;
  /** Extra YAML for the model asset's controls.model_access. */
  readonly modelAccess?: string;
  /** Replace the trusted keys block. */
  readonly trustedKeys?: string;
}

export interface TestWorkspace {
  readonly dir: string;
  readonly name: string;
  readonly trusted: KeyFiles;
  readonly untrusted: KeyFiles;
}

/**
 * People: ana (ml-engineer, registers), bo (security-lead, reviews), cy (ml-engineer, promotes),
 * dee (left the company). Clients acme and globex. Model asset `fraud` serves acme.
 */
export async function createWorkspace(options: WorkspaceOptions = {}): Promise<TestWorkspace> {
  const dir = await mkdtemp(join(tmpdir(), 'warden-registry-'));
  await mkdir(join(dir, 'keys'));
  const trusted = await writeEcKeys(join(dir, 'keys'), 'release');
  const untrusted = await writeEcKeys(dir, 'intruder');
  // A unique organisation keeps this workspace's records apart in a shared PostgreSQL database.
  const name = `Registry Test ${randomBytes(6).toString('hex')}`;
  const trainedOn = options.crossClient === true ? '[acme-data, globex-data]' : '[acme-data]';
  await writeFile(
    join(dir, 'warden.yaml'),
    `version: 1
organisation: { name: "${name}", headcount: 8 }
clients:
  - { id: acme, name: Acme, sector: retail }
  - { id: globex, name: Globex, sector: finance }
people:
  - { id: ana, name: Ana, email: ana@t.example, roles: [ml-engineer] }
  - { id: bo, name: Bo, email: bo@t.example, roles: [security-lead] }
  - { id: cy, name: Cy, email: cy@t.example, roles: [ml-engineer] }
  - { id: dee, name: Dee, email: dee@t.example, roles: [ml-engineer], active: false }
assets:
  - { id: acme-data, kind: dataset, owner: ana, clients: [acme], classification: confidential }
  - { id: globex-data, kind: dataset, owner: ana, clients: [globex], classification: confidential }
  - id: fraud
    kind: model
    owner: ana
    clients: [acme]
    environment: production
    location: models/fraud
    controls:
      access: [ana, bo, cy]
      model_access: ${options.modelAccess ?? '{ promote: [cy, ana, dee], export: [bo] }'}
    lineage: { trained_on: ${trainedOn} }
${options.trustedKeys ?? `model_signing:
  trusted_keys:
    - { id: release, public_key: keys/release.pub.pem, owner: bo }`}
`,
  );
  return { dir, name, trusted, untrusted };
}

/** Writes files (path → content) under `root`, creating folders. */
export async function writeTree(root: string, files: Readonly<Record<string, string | Buffer>>): Promise<void> {
  for (const [relative, content] of Object.entries(files)) {
    const full = join(root, relative);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
  }
}

/** A small model folder: safetensors-like weights are not needed, the scanner only reads content. */
export async function writeModel(ws: TestWorkspace, relative: string, files: Readonly<Record<string, string | Buffer>> = { 'config.json': '{"layers": 2}\n', 'README.md': 'fraud model\n' }): Promise<string> {
  const path = join(ws.dir, relative);
  await writeTree(path, files);
  return path;
}

export async function sign(modelPath: string, keys: KeyFiles): Promise<string> {
  const signaturePath = join(modelPath, 'model.sig');
  await signModel({ modelPath, keyPath: keys.privateKey, signaturePath, workers: 1 });
  return signaturePath;
}

export async function registryContext(ws: TestWorkspace, store: Store, now?: () => Date): Promise<RegistryContext> {
  const loaded = await loadWorkspace(ws.dir);
  return {
    loaded,
    models: store.models.forWorkspace(loaded.workspace.organisation.name),
    scanner: modelScanner,
    workers: 1,
    ...(now !== undefined && { now }),
  };
}
