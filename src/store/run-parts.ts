/**
 * Splitting a run's long lists into compressed pages and joining them back. Pages are cut by size
 * (about 1 MiB of JSON before compression), so neither writing nor reading ever holds more than
 * one page's text at once, whatever the size of the organisation; the arrays themselves are
 * ordinary objects in memory. gzip at level 1: the text is repetitive (ids, reasons, evidence),
 * so it shrinks several-fold at a fraction of the cost of higher levels.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { WardenError } from '../domain/index.js';
import type { AssessmentResult } from '../domain/index.js';

export const PAGED_PARTS = ['assets', 'controls', 'gaps', 'findings', 'scanners'] as const;
export type PagedPart = (typeof PAGED_PARTS)[number];
export const PART_ENCODING = 'gzip+json';

const PAGE_CHARS = 1 << 20;
/** A stored page never inflates beyond this: a damaged or hostile row cannot exhaust memory. */
const MAX_PAGE_BYTES = 256 << 20;

export interface PartPage {
  readonly part: PagedPart;
  readonly page: number;
  readonly items: number;
  readonly body: Uint8Array;
}

/** The result without its long lists: what `runs.result` holds. */
export function skeletonOf(result: AssessmentResult): AssessmentResult {
  return { ...result, assets: [], controls: [], gaps: [], findings: [], scanners: [] };
}

/** Pages of every long list of the result, in order, produced one at a time. */
export function* pagesOf(result: AssessmentResult): Generator<PartPage> {
  for (const part of PAGED_PARTS) {
    const items: readonly unknown[] = result[part];
    let page = 0;
    let text = '';
    let count = 0;
    const flush = (): PartPage => {
      const body = gzipSync(`[${text}]`, { level: 1 });
      const out: PartPage = { part, page, items: count, body };
      page += 1;
      text = '';
      count = 0;
      return out;
    };
    for (const item of items) {
      const json = JSON.stringify(item) ?? 'null';
      text = count === 0 ? json : `${text},${json}`;
      count += 1;
      if (text.length >= PAGE_CHARS) yield flush();
    }
    if (count > 0) yield flush();
  }
}

export interface StoredPage {
  readonly part: string;
  readonly page: number;
  readonly items: number;
  readonly encoding: string;
  readonly body: Uint8Array;
}

/** Puts the pages (in part, page order) back into the skeleton; refuses anything malformed. */
export function assemble(runId: string, skeleton: AssessmentResult, pages: Iterable<StoredPage>): AssessmentResult {
  const lists: Record<PagedPart, unknown[]> = { assets: [], controls: [], gaps: [], findings: [], scanners: [] };
  const damaged = (why: string, cause?: unknown): never => {
    throw new WardenError('INTERNAL', `stored run ${runId} is damaged: ${why}`, { ...(cause !== undefined && { cause }), details: { id: runId } });
  };
  const expected = new Map<string, number>();
  for (const row of pages) {
    if (!(PAGED_PARTS as readonly string[]).includes(row.part)) damaged(`unknown part "${row.part}"`);
    if (row.encoding !== PART_ENCODING) damaged(`unknown encoding "${row.encoding}"`);
    const next = expected.get(row.part) ?? 0;
    if (row.page !== next) damaged(`page ${row.page} of ${row.part} where ${next} was expected`);
    expected.set(row.part, next + 1);
    let items: unknown;
    try {
      items = JSON.parse(gunzipSync(row.body, { maxOutputLength: MAX_PAGE_BYTES }).toString('utf8'));
    } catch (error) {
      damaged(`page ${row.page} of ${row.part} cannot be read`, error);
    }
    if (!Array.isArray(items) || items.length !== row.items) damaged(`page ${row.page} of ${row.part} does not hold ${row.items} items`);
    const list = lists[row.part as PagedPart];
    for (const item of items as unknown[]) list.push(item);
  }
  return { ...skeleton, ...(lists as unknown as Pick<AssessmentResult, PagedPart>) };
}
