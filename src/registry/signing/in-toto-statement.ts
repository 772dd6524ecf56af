/**
 * The signed payload: an in-toto Statement v1 whose predicate (type
 * https://model_signing/signature/v1.0) lists every resource of the model and the serialization
 * parameters needed to recompute them. Field names follow the reference payloads exactly
 * (snake_case inside the predicate). The single subject names the model and carries the SHA-256 of
 * all resource digests concatenated in listed order.
 *
 * Parsing treats the payload as hostile even after the signature checks out (a signer's tool can
 * be buggy or malicious): every field is type-checked, duplicates are refused, and the subject
 * digest must match the resources.
 */
import { WardenError } from '../../domain/index.js';
import { assertSupportedAlgorithm, subjectDigest } from './model-manifest.js';
import type { ManifestResource, Serialization } from './model-manifest.js';

export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const MODEL_SIGNING_PREDICATE_TYPE = 'https://model_signing/signature/v1.0';

export interface ModelStatement {
  readonly modelName: string;
  readonly subjectDigest: string;
  readonly serialization: Serialization;
  readonly resources: readonly ManifestResource[];
}

function serializationJson(serialization: Serialization): Record<string, unknown> {
  const out: Record<string, unknown> = { method: serialization.method, hash_type: serialization.hashType };
  if (serialization.method === 'shards') out['shard_size'] = serialization.shardSize;
  out['allow_symlinks'] = serialization.allowSymlinks;
  if (serialization.ignorePaths !== undefined) out['ignore_paths'] = [...serialization.ignorePaths];
  return out;
}

/** Serialises the statement to the exact bytes that get signed. */
export function buildStatementPayload(modelName: string, serialization: Serialization, resources: readonly ManifestResource[]): Buffer {
  const statement = {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [{ name: modelName, digest: { sha256: subjectDigest(resources) } }],
    predicateType: MODEL_SIGNING_PREDICATE_TYPE,
    predicate: {
      serialization: serializationJson(serialization),
      resources: resources.map((r) => ({ name: r.name, algorithm: r.algorithm, digest: r.digestHex })),
    },
  };
  return Buffer.from(JSON.stringify(statement, null, 2), 'utf8');
}

function invalid(message: string, details: Record<string, unknown> = {}): WardenError {
  return new WardenError('SIGNATURE_INVALID', `signed payload is malformed: ${message}`, { details });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const HEX64 = /^[0-9a-fA-F]{64}$/;

function parseSerialization(value: unknown): Serialization {
  if (!isRecord(value)) throw invalid('predicate.serialization is not an object');
  const method = value['method'];
  if (method !== 'files' && method !== 'shards') throw invalid(`unknown serialization method ${JSON.stringify(method)}`);
  const hashType = value['hash_type'];
  if (hashType !== 'sha256') {
    throw new WardenError('SIGNATURE_INVALID', `unsupported hash_type ${JSON.stringify(hashType)} (only sha256 is supported)`, {
      details: { hashType },
    });
  }
  const allowSymlinks = value['allow_symlinks'];
  if (typeof allowSymlinks !== 'boolean') throw invalid('serialization.allow_symlinks is not a boolean');
  let shardSize: number | undefined;
  if (method === 'shards') {
    const raw = value['shard_size'];
    // Protobuf Struct numbers are doubles, so the reference may write 1000000000.0: any JSON number
    // that is a positive safe integer is accepted.
    if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw <= 0) throw invalid('serialization.shard_size is not a positive integer');
    shardSize = raw;
  }
  let ignorePaths: string[] | undefined;
  const rawIgnore = value['ignore_paths'];
  if (rawIgnore !== undefined && rawIgnore !== null) {
    if (!Array.isArray(rawIgnore) || !rawIgnore.every((p): p is string => typeof p === 'string')) {
      throw invalid('serialization.ignore_paths is not a list of strings');
    }
    ignorePaths = rawIgnore;
  }
  return {
    method,
    hashType: 'sha256',
    allowSymlinks,
    ...(shardSize === undefined ? {} : { shardSize }),
    ...(ignorePaths === undefined ? {} : { ignorePaths }),
  };
}

/** Parses and checks a statement payload (already authenticated by the DSSE signature). */
export function parseStatementPayload(payload: Buffer): ModelStatement {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    throw new WardenError('SIGNATURE_INVALID', 'signed payload is not JSON', { cause: error });
  }
  if (!isRecord(parsed)) throw invalid('statement is not an object');
  if (parsed['_type'] !== IN_TOTO_STATEMENT_TYPE) throw invalid(`statement _type is ${JSON.stringify(parsed['_type'])}, expected ${IN_TOTO_STATEMENT_TYPE}`);
  if (parsed['predicateType'] !== MODEL_SIGNING_PREDICATE_TYPE) {
    throw new WardenError(
      'SIGNATURE_INVALID',
      `unsupported predicateType ${JSON.stringify(parsed['predicateType'])}, expected ${MODEL_SIGNING_PREDICATE_TYPE}`,
    );
  }
  const subjects = parsed['subject'];
  if (!Array.isArray(subjects) || subjects.length !== 1) throw invalid('statement must have exactly one subject');
  const subject: unknown = subjects[0];
  if (!isRecord(subject) || typeof subject['name'] !== 'string' || !isRecord(subject['digest'])) throw invalid('subject is malformed');
  const declared = subject['digest']['sha256'];
  if (typeof declared !== 'string' || !HEX64.test(declared)) throw invalid('subject has no sha256 digest');

  const predicate = parsed['predicate'];
  if (!isRecord(predicate)) throw invalid('predicate is not an object');
  const serialization = parseSerialization(predicate['serialization']);
  const rawResources = predicate['resources'];
  if (!Array.isArray(rawResources)) throw invalid('predicate.resources is not a list');
  const seen = new Set<string>();
  const resources: ManifestResource[] = [];
  for (const raw of rawResources as unknown[]) {
    if (!isRecord(raw)) throw invalid('a resource is not an object');
    const { name, algorithm, digest } = raw;
    if (typeof name !== 'string' || typeof algorithm !== 'string' || typeof digest !== 'string') {
      throw invalid('a resource lacks name, algorithm or digest');
    }
    if (!HEX64.test(digest)) throw invalid(`resource ${name} has a digest that is not 32 bytes of hex`, { resource: name });
    if (seen.has(name)) throw invalid(`resource ${name} is listed twice`, { resource: name });
    seen.add(name);
    const resource = { name, algorithm, digestHex: digest.toLowerCase() };
    assertSupportedAlgorithm(resource, serialization);
    resources.push(resource);
  }
  const recomputed = subjectDigest(resources);
  if (recomputed !== declared.toLowerCase()) {
    throw new WardenError(
      'SIGNATURE_INVALID',
      `manifest is inconsistent: subject digest is ${declared} but the resources hash to ${recomputed}`,
      { details: { declared, recomputed } },
    );
  }
  return { modelName: subject['name'], subjectDigest: recomputed, serialization, resources };
}
