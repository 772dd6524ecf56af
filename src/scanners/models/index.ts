// Public surface of the model scanner module.
export { modelScanner } from './model-scanner.js';
export { scanModelFile, scanModelBytes } from './model-file-scanner.js';
export type { ScanModelOptions, ModelFileReport } from './model-file-scanner.js';
export type { ModelIssue, UnscannablePart } from './scan-context.js';
export { disassemblePickle } from './pickle-disassembler.js';
export type { PickleOp, DisassembleOptions } from './pickle-disassembler.js';
export { analyzePickleStream } from './pickle-analyzer.js';
export type { PickleStreamAnalysis, PickleIssue, ImportRecord } from './pickle-analyzer.js';
export { classifyImport, normaliseModule } from './import-policy.js';
export type { ImportVerdict, DangerCategory } from './import-policy.js';
export { MODEL_RULES, RULE as MODEL_RULE_IDS, MODEL_CONTROLS } from './model-rules.js';
export { DEFAULT_MODEL_SCAN_LIMITS, ScanBudget } from './scan-limits.js';
export type { ModelScanLimits } from './scan-limits.js';
export { BufferByteSource } from './byte-source.js';
export { SourceStream } from './byte-stream.js';
