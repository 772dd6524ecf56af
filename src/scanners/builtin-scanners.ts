/**
 * The scanners that ship with Warden. Each scanner lives in its own folder and is added here with
 * one line; nothing else in the code base needs to know about it.
 */
import { iacScanner } from './iac/index.js';
import { modelScanner } from './models/index.js';
import { createProbeScanner } from './probe/index.js';
import { ScannerRegistry } from './registry.js';
import { secretsScanner } from './secrets/index.js';

export interface DefaultRegistryOptions {
  /**
   * Live probes send traffic to the workspace's declared endpoints, so an assessment only runs
   * them when the user opted in (`warden assess --probe`). `warden probe` and `warden scan probe`
   * always work: they are explicit requests for traffic and enforce scope themselves.
   */
  readonly probe?: boolean;
}

export function createDefaultRegistry(options: DefaultRegistryOptions = {}): ScannerRegistry {
  const registry = new ScannerRegistry();
  registry.register(iacScanner);
  registry.register(modelScanner);
  registry.register(secretsScanner);
  registry.register(createProbeScanner({ enabled: options.probe === true }));
  return registry;
}
