// Public surface of the scanners module.
export { ScannerRegistry } from './registry.js';
export { createDefaultRegistry } from './builtin-scanners.js';
export type { DefaultRegistryOptions } from './builtin-scanners.js';
export { createFinding, fingerprintOf, normalisePath } from './finding-factory.js';
export type { FindingInput } from './finding-factory.js';
export { walkFiles, relativeTo, DEFAULT_SKIP_DIRS } from './file-walker.js';
export type { WalkOptions, WalkedFile } from './file-walker.js';
export { localPathOf } from './asset-location.js';
