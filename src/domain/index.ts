// Public surface of the domain module: types, schemas and pure helpers. No I/O lives here.
export {
  ERROR_CATALOGUE,
  WardenError,
  isWardenError,
  describeError,
} from './errors.js';
export type { ErrorCode, ErrorKind, ErrorSpec, WardenErrorOptions } from './errors.js';
export {
  SEVERITIES,
  severityRank,
  isSeverity,
  atOrAbove,
  compareSeverityDesc,
  sortFindings,
  countBySeverity,
  maxSeverity,
} from './finding.js';
export type { Severity, Finding, FindingLocation, RuleDescriptor } from './finding.js';
export {
  REGIMES,
  ASSET_KINDS,
  CLASSIFICATIONS,
  SIZE_PROFILES,
  EXPOSURES,
  AUTHENTICATION,
  KEY_MANAGEMENT,
  regimeSchema,
  assetKindSchema,
  classificationSchema,
  assetSchema,
  personSchema,
  clientSchema,
  attestationSchema,
  exceptionSchema,
  organisationSchema,
  workspaceSchema,
  classificationRank,
  sizeProfileFor,
  sizeProfileRank,
} from './workspace.js';
export type {
  Regime,
  AssetKind,
  Classification,
  SizeProfile,
  AssetControls,
  Asset,
  Person,
  Client,
  Attestation,
  ControlException,
  Organisation,
  Workspace,
  WorkspaceInput,
} from './workspace.js';
export {
  PILLARS,
  PILLAR_TITLES,
  ROADMAP_MONTHS,
  QUESTIONS,
  QUESTION_TEXT,
  controlSchema,
  threatSchema,
  controlCatalogSchema,
  threatCatalogSchema,
} from './control.js';
export type { Pillar, RoadmapMonth, Question, ControlEvaluation, Control, Threat } from './control.js';
export { CONTROL_STATUSES } from './assessment.js';
export type {
  ControlStatus,
  EvidenceRef,
  ControlResult,
  AnswerVerdict,
  QuestionAnswer,
  BlastRadius,
  NotificationDuty,
  AssetAssessment,
  Gap,
  PillarScore,
  RoadmapItem,
  RoadmapMonthPlan,
  ScannerRun,
  AssessmentSummary,
  AssessmentResult,
} from './assessment.js';
export type {
  ScanTarget,
  ScanProgress,
  ScanContext,
  Unscannable,
  ScanResult,
  ScannerOption,
  Scanner,
} from './scanner.js';
