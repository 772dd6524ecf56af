// Public surface of model signing (OpenSSF model signing format v1.0, sigstore/model-transparency).
export { signModel, collectIgnorePaths } from './model-signer.js';
export type { SignModelOptions, SignModelResult } from './model-signer.js';
export { verifyModel } from './model-verifier.js';
export type { VerifyModelOptions, VerifyModelResult, SignerIdentity } from './model-verifier.js';
export { resolveIgnorePath, modelRelative } from './signing-paths.js';
export { GIT_IGNORE_PATHS, walkModel, normaliseIgnorePath, compareResourcePaths, printable } from './model-walk.js';
export type { ModelFile, ModelListing } from './model-walk.js';
export {
  DEFAULT_SHARD_SIZE,
  computeManifest,
  diffManifests,
  subjectDigest,
  shardRanges,
  parseShardName,
} from './model-manifest.js';
export type { ManifestResource, ManifestDifference, Serialization, SerializationMethod } from './model-manifest.js';
export { hashRanges, defaultWorkerCount } from './hash-pool.js';
export type { HashTask, HashedRange, HashPoolOptions } from './hash-pool.js';
export { buildStatementPayload, parseStatementPayload, IN_TOTO_STATEMENT_TYPE, MODEL_SIGNING_PREDICATE_TYPE } from './in-toto-statement.js';
export type { ModelStatement } from './in-toto-statement.js';
export { pae, IN_TOTO_PAYLOAD_TYPE } from './dsse-envelope.js';
export { parseBundle, BUNDLE_MEDIA_TYPE } from './sigstore-bundle.js';
export type { ParsedBundle, VerificationMaterial } from './sigstore-bundle.js';
export { loadPrivateKey, loadPublicKey, publicKeyHint, pemFrom } from './signing-keys.js';
export type { CurveName } from './signing-keys.js';
export { verifyCertificateChain, parsePemCertificates, keyUsageBits } from './certificate-chain.js';
