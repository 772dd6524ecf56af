// Public surface of the engine module: the one-day assessment and its building blocks.
export { assess } from './assessment-runner.js';
export type { AssessOptions } from './assessment-runner.js';
export { planScans, runScanPlan } from './scan-runner.js';
export type { ScanPlanItem, ScanRunOutput, ScanRunOptions } from './scan-runner.js';
export { CHECKS, evaluateControl, assertChecksExist } from './control-evaluator.js';
export type { EvaluatedControl } from './control-evaluator.js';
export { notificationDuties, NOTIFICATION_RULES, formatHours } from './blast-radius.js';
export { PRIORITY_CATEGORIES } from './checks/check-types.js';
export type { RiskCategory, CheckOutcome, Check } from './checks/check-types.js';
export { diffRuns } from './run-diff.js';
export type { RunDiff, ControlChange, ScoreDelta, PillarDelta } from './run-diff.js';
export { linkEvidence, storageNameOfLocation } from './linked-evidence.js';
export type { AssetEvidence } from './assessment-context.js';
