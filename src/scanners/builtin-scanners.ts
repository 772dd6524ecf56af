/**
 * The scanners that ship with Warden. Each scanner lives in its own folder and is added here with
 * one line; nothing else in the code base needs to know about it.
 */
import { iacScanner } from './iac/index.js';
import { ScannerRegistry } from './registry.js';

export function createDefaultRegistry(): ScannerRegistry {
  const registry = new ScannerRegistry();
  registry.register(iacScanner);
  return registry;
}
