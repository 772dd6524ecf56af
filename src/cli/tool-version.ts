// Warden's version, read once from package.json (two levels above dist/src/cli at run time).
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function toolVersion(): string {
  if (cached === undefined) {
    const url = new URL('../../../package.json', import.meta.url);
    const parsed: unknown = JSON.parse(readFileSync(url, 'utf8'));
    const version = typeof parsed === 'object' && parsed !== null && 'version' in parsed ? String(parsed.version) : '0.0.0';
    cached = version;
  }
  return cached;
}

/** The package root (where package.json and examples/ live). */
export function packageRoot(): string {
  return new URL('../../../', import.meta.url).pathname;
}
