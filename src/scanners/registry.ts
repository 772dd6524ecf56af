/**
 * The scanner registry. Scanners register themselves here (see builtin-scanners.ts); the CLI's
 * `warden scan NAME` and the assessment engine only ever look scanners up by name or list them,
 * so a new scanner plugs in without touching either.
 */
import { WardenError } from '../domain/index.js';
import type { Scanner } from '../domain/index.js';

export class ScannerRegistry {
  readonly #scanners = new Map<string, Scanner>();

  register(scanner: Scanner): void {
    if (this.#scanners.has(scanner.name)) {
      throw new WardenError('SCANNER_DUPLICATE', `A scanner named "${scanner.name}" is already registered.`);
    }
    this.#scanners.set(scanner.name, scanner);
  }

  get(name: string): Scanner {
    const scanner = this.#scanners.get(name);
    if (scanner === undefined) {
      const known = [...this.#scanners.keys()].sort().join(', ') || '(none)';
      throw new WardenError('SCANNER_UNKNOWN', `Unknown scanner "${name}". Known scanners: ${known}.`);
    }
    return scanner;
  }

  has(name: string): boolean {
    return this.#scanners.has(name);
  }

  list(): Scanner[] {
    return [...this.#scanners.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}
