// Public surface of the model registry: signed model manifests (./signing), registered versions,
// the deployment gate, reviews, exceptions, promotions into the artifact store.
export * from './signing/index.js';
export { evaluateDeploymentGate, GATE_SCAN_THRESHOLD } from './deployment-gate.js';
export type { GateInput, GateDecision, IntegrityEvidence } from './deployment-gate.js';
export {
  ARTIFACTS_DIR,
  artifactsRoot,
  artifactDir,
  artifactModelPath,
  artifactSignaturePath,
  currentModelPath,
} from './artifact-store.js';
export { checkStagedArtifacts } from './artifact-checks.js';
export { hashModel, copyRegisteredFiles } from './model-files.js';
export type { RegisteredManifest, CopyOutcome } from './model-files.js';
export {
  parseModelVersionRef,
  checkModelName,
  checkModelVersion,
  readMetricsFile,
  parseMetricArguments,
  mergeMetrics,
  checkIsoDate,
} from './model-inputs.js';
export type { ModelVersionRef } from './model-inputs.js';
export { modelLineage } from './model-lineage.js';
export type { ModelLineage } from './model-lineage.js';
export { scanModelFiles } from './model-scan.js';
export type { ScanModelInput } from './model-scan.js';
export type { RegistryContext } from './registry-context.js';
export { registerModelVersion, rescanModelVersion } from './registration-service.js';
export type { RegisterModelInput, RegisterModelResult } from './registration-service.js';
export { promoteModelVersion, exportModelVersion } from './promotion-service.js';
export type { PromoteModelInput, PromotionOutcome, ExportModelInput, ExportOutcome } from './promotion-service.js';
export { reviewModelVersion, recordDeploymentException } from './decision-service.js';
export type { ReviewInput, ExceptionInput } from './decision-service.js';
export { verifyWithTrustedKeys, describeSigner as describeSignerIdentity } from './signature-trust.js';
export type { TrustOutcome } from './signature-trust.js';
