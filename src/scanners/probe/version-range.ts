/**
 * Comparing the version strings services report (`6.4.12`, `2.8.0`, `0.1.33`, `v0.6.4`,
 * `2.9.0rc1`) against the ranges of an advisory. Numeric segments compare numerically; a
 * pre-release tail (`rc1`, `-beta`, `.dev0`) sorts before the release it precedes, which is how
 * advisories treat them. A string that has no leading number is not comparable: the caller treats
 * it as an unknown version and reports nothing for it, rather than guessing.
 */

export interface ParsedVersion {
  readonly numbers: readonly number[];
  /** Empty for a release; the pre-release text otherwise. */
  readonly pre: string;
}

export function parseVersion(text: string): ParsedVersion | undefined {
  const m = /^\s*v?(\d+(?:\.\d+){0,3})(.*)$/i.exec(text);
  if (m === null) return undefined;
  const numbers = (m[1] as string).split('.').map(Number);
  if (numbers.some((n) => !Number.isSafeInteger(n))) return undefined;
  const rest = (m[2] ?? '').trim();
  // Build metadata (+cu121, +local) does not change ordering; post-releases (.post1) sort after.
  const pre = rest.replace(/^\+.*$/, '').replace(/^[.-]?post\d*.*$/i, '');
  return { numbers, pre: pre.replace(/^[.-]/, '') };
}

export function compareVersions(a: ParsedVersion, b: ParsedVersion): number {
  const length = Math.max(a.numbers.length, b.numbers.length);
  for (let i = 0; i < length; i += 1) {
    const d = (a.numbers[i] ?? 0) - (b.numbers[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  if (a.pre === b.pre) return 0;
  if (a.pre === '') return 1;
  if (b.pre === '') return -1;
  return a.pre < b.pre ? -1 : 1;
}

export interface VersionRange {
  /** First affected version (inclusive); absent means "from the beginning". */
  readonly introduced?: string;
  /** First fixed version (exclusive bound); absent means "no fix". */
  readonly fixed?: string;
  /** Last affected version (inclusive), when the advisory names no fix. */
  readonly lastAffected?: string;
}

/** True when `version` falls in the range; undefined when either side cannot be compared. */
export function inRange(version: string, range: VersionRange): boolean | undefined {
  const v = parseVersion(version);
  if (v === undefined) return undefined;
  const bound = (text: string | undefined): ParsedVersion | null | undefined => (text === undefined ? null : parseVersion(text));
  const introduced = bound(range.introduced);
  const fixed = bound(range.fixed);
  const last = bound(range.lastAffected);
  if (introduced === undefined || fixed === undefined || last === undefined) return undefined;
  if (introduced !== null && compareVersions(v, introduced) < 0) return false;
  if (fixed !== null && compareVersions(v, fixed) >= 0) return false;
  if (last !== null && compareVersions(v, last) > 0) return false;
  return true;
}
