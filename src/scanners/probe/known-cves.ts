/**
 * The dated list of known CVEs (data/known-cves.yaml), read once and checked against its schema,
 * and the matching of a reported service version against it.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { WardenError, describeError } from '../../domain/index.js';
import type { Severity } from '../../domain/index.js';
import { inRange } from './version-range.js';

const version = z.union([z.string().min(1), z.number()]).transform(String);

const entrySchema = z.strictObject({
  id: z.string().regex(/^CVE-\d{4}-\d{4,}$/),
  service: z.string().min(1),
  severity: z.enum(['critical', 'high', 'medium', 'low']),
  title: z.string().min(1),
  affected: z
    .array(z.strictObject({ introduced: version.optional(), fixed: version.optional(), last_affected: version.optional() }))
    .min(1),
  when: z.literal('unauthenticated').optional(),
  note: z.string().optional(),
  sources: z.array(z.url()).min(1),
});

const fileSchema = z.strictObject({
  as_of: z.union([z.iso.date(), z.date().transform((d) => d.toISOString().slice(0, 10))]),
  entries: z.array(entrySchema),
});

export interface KnownCve {
  readonly id: string;
  readonly service: string;
  readonly severity: Severity;
  readonly title: string;
  readonly affected: readonly { readonly introduced?: string; readonly fixed?: string; readonly lastAffected?: string }[];
  readonly onlyWhenUnauthenticated: boolean;
  readonly note?: string;
  readonly sources: readonly string[];
}

export interface KnownCveList {
  readonly asOf: string;
  readonly entries: readonly KnownCve[];
}

export function parseKnownCves(text: string, origin: string): KnownCveList {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new WardenError('INTERNAL', `${origin}: not valid YAML: ${describeError(error)}`, { cause: error });
  }
  const result = fileSchema.safeParse(raw);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new WardenError('INTERNAL', `${origin}: ${first?.path.join('.') ?? ''}: ${first?.message ?? 'invalid'}`);
  }
  return {
    asOf: result.data.as_of,
    entries: result.data.entries.map((e) => ({
      id: e.id,
      service: e.service,
      severity: e.severity,
      title: e.title,
      affected: e.affected.map((a) => ({
        ...(a.introduced !== undefined && { introduced: a.introduced }),
        ...(a.fixed !== undefined && { fixed: a.fixed }),
        ...(a.last_affected !== undefined && { lastAffected: a.last_affected }),
      })),
      onlyWhenUnauthenticated: e.when === 'unauthenticated',
      ...(e.note !== undefined && { note: e.note }),
      sources: e.sources,
    })),
  };
}

let cached: KnownCveList | undefined;

/** The shipped list (src/scanners/probe/data/known-cves.yaml, copied next to the compiled code). */
export function knownCves(): KnownCveList {
  if (cached === undefined) {
    const url = new URL('./data/known-cves.yaml', import.meta.url);
    let text: string;
    try {
      text = readFileSync(url, 'utf8');
    } catch (error) {
      throw new WardenError('INTERNAL', `The known-CVE list ${url.pathname} is missing: was the build's asset copy run?`, { cause: error });
    }
    cached = parseKnownCves(text, 'known-cves.yaml');
  }
  return cached;
}

export interface CveMatch {
  readonly cve: KnownCve;
  /** True when the version lies in a range; false for an "every version" entry matched without one. */
  readonly byVersion: boolean;
}

/**
 * CVEs that apply to `service` at `version`. A version that cannot be compared matches nothing,
 * except entries that affect every version (there the version does not matter).
 */
export function matchCves(list: KnownCveList, service: string, version: string | undefined, unauthenticated: boolean): CveMatch[] {
  const out: CveMatch[] = [];
  for (const cve of list.entries) {
    if (cve.service !== service) continue;
    if (cve.onlyWhenUnauthenticated && !unauthenticated) continue;
    const everyVersion = cve.affected.some((r) => r.introduced === undefined && r.fixed === undefined && r.lastAffected === undefined);
    if (everyVersion) {
      out.push({ cve, byVersion: false });
      continue;
    }
    if (version === undefined) continue;
    if (cve.affected.some((r) => inRange(version, r) === true)) out.push({ cve, byVersion: true });
  }
  return out;
}
