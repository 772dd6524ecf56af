// Public surface of the iac scanner module.
export { iacScanner, runChecks, IAC_SCANNER_NAME, MAX_IAC_FILE_BYTES, READ_AHEAD } from './iac-scanner.js';
export type { IacScanStats } from './iac-scanner.js';
export { IAC_RULES, IAC_RULE_DESCRIPTORS } from './iac-rules.js';
export type { IacRule, FixFormat } from './iac-rules.js';
export { parseHcl } from './hcl-parser.js';
export type { HclFile, HclBlock, HclParseError } from './hcl-parser.js';
export { parseYaml } from './yaml-source.js';
export type { YamlDocument, YamlParseResult } from './yaml-source.js';
export { IacInventory } from './iac-inventory.js';
export type { CloudResource, IacFormat } from './iac-inventory.js';
export type { IacNode } from './iac-model.js';
export { AI_SERVICE_PORTS, ADMIN_PORTS } from './ports.js';
export type { ServicePort } from './ports.js';
