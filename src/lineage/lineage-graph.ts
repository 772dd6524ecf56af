/**
 * The lineage graph: which data flows into which asset (derived_from, trained_on, reads).
 *
 * Data flows from an input to the asset that uses it, so an asset *carries* everything upstream of
 * it: a model trained on patient records can leak patient records, a notebook server that reads a
 * dataset exposes it. Everything here runs in one pass over a topological order, because a real
 * workspace can hold tens of thousands of assets and hundreds of thousands of edges.
 */
import { CLASSIFICATIONS, WardenError, classificationRank } from '../domain/index.js';
import type { Asset, Classification, Workspace } from '../domain/index.js';

/** Past this many record sources an asset's record count is reported as a lower bound. */
const MAX_SOURCES = 10_000;

export interface DataReach {
  /** Indexes of the assets whose declared records this asset carries. */
  readonly sources: ReadonlySet<number>;
  readonly sourcesTruncated: boolean;
  readonly clients: ReadonlySet<string>;
  readonly categories: ReadonlySet<string>;
  /** Highest classification rank among the asset and everything upstream; -1 when none declared. */
  readonly classification: number;
  /** Some upstream data (or the asset itself) holds data of unknown size. */
  readonly unknownSize: boolean;
}

const DATA_KINDS: ReadonlySet<string> = new Set(['dataset', 'storage']);

export class LineageGraph {
  readonly assets: readonly Asset[];
  readonly index: ReadonlyMap<string, number>;
  /** inputs[i]: indexes of the assets whose data flows into asset i. */
  readonly inputs: readonly (readonly number[])[];
  /** outputs[i]: indexes of the assets built from asset i. */
  readonly outputs: readonly (readonly number[])[];
  readonly order: readonly number[];

  constructor(assets: readonly Asset[]) {
    this.assets = assets;
    const index = new Map<string, number>();
    assets.forEach((a, i) => index.set(a.id, i));
    this.index = index;
    const inputs: number[][] = assets.map(() => []);
    const outputs: number[][] = assets.map(() => []);
    assets.forEach((asset, i) => {
      const lineage = asset.lineage;
      if (lineage === undefined) return;
      for (const id of [...(lineage.derived_from ?? []), ...(lineage.trained_on ?? []), ...(lineage.reads ?? [])]) {
        const j = index.get(id);
        if (j === undefined || j === i) continue; // the workspace loader reports dangling edges
        inputs[i]?.push(j);
        outputs[j]?.push(i);
      }
    });
    this.inputs = inputs;
    this.outputs = outputs;
    this.order = topologicalOrder(inputs, outputs);
  }

  static fromWorkspace(workspace: Workspace): LineageGraph {
    return new LineageGraph(workspace.assets);
  }

  indexOf(id: string): number {
    const i = this.index.get(id);
    if (i === undefined) throw new WardenError('INPUT_NOT_FOUND', `Unknown asset "${id}".`);
    return i;
  }

  /** What data every asset carries, computed for all assets at once. */
  dataReach(): DataReach[] {
    const reach: DataReach[] = new Array<DataReach>(this.assets.length);
    for (const i of this.order) {
      const asset = this.assets[i] as Asset;
      // Inputs on a cycle (only possible when the loader's check was bypassed) have no reach yet.
      const ins = (this.inputs[i] ?? []).map((j) => reach[j]).filter((r): r is DataReach => r !== undefined);
      const ownRecords = asset.records !== undefined;
      let sources: ReadonlySet<number>;
      let truncated = false;
      let unknownSize = false;
      if (ownRecords) {
        sources = new Set([i]);
      } else {
        ({ sources, truncated } = unionSources(ins));
        unknownSize = ins.some((r) => r.unknownSize) || (DATA_KINDS.has(asset.kind) && ins.length === 0);
      }
      const clients = unionWith(ins.map((r) => r.clients), asset.clients ?? []);
      const categories = unionWith(ins.map((r) => r.categories), asset.data_categories ?? []);
      let classification = asset.classification === undefined ? -1 : classificationRank(asset.classification);
      for (const r of ins) classification = Math.max(classification, r.classification);
      reach[i] = { sources, sourcesTruncated: truncated || ins.some((r) => r.sourcesTruncated), clients, categories, classification, unknownSize };
    }
    return reach;
  }

  readonly #upstreamSources = new Map<number, ReadonlySet<number>>();

  /** Whether some asset upstream of `i` that declares records is in `set`. */
  hasUpstreamSourceIn(i: number, set: ReadonlySet<number>): boolean {
    let upstream = this.#upstreamSources.get(i);
    if (upstream === undefined) {
      upstream = this.#collectUpstreamSources(i, 1_000);
      this.#upstreamSources.set(i, upstream);
    }
    // Walk whichever side is smaller: a wide reach checks a short ancestry, and the other way round.
    if (upstream.size <= set.size) {
      for (const j of upstream) if (set.has(j)) return true;
      return false;
    }
    for (const j of set) if (j !== i && upstream.has(j)) return true;
    return false;
  }

  /** Record-holding ancestors of `i`, breadth first, visiting at most `limit` assets. */
  #collectUpstreamSources(i: number, limit: number): Set<number> {
    const out = new Set<number>();
    const seen = new Set<number>([i]);
    const queue = [...(this.inputs[i] ?? [])];
    for (let head = 0; head < queue.length && seen.size <= limit; head += 1) {
      const j = queue[head] as number;
      if (seen.has(j)) continue;
      seen.add(j);
      if (this.assets[j]?.records !== undefined) out.add(j);
      for (const k of this.inputs[j] ?? []) if (!seen.has(k)) queue.push(k);
    }
    return out;
  }

  /** Visit marks for the breadth-first walks, stamped per walk so no set is allocated each time. */
  #mark: Int32Array | undefined;
  #stamp = 0;

  /** Assets built from asset `i`, breadth first, up to `cap` ids; `count` stops at `limit`. */
  downstream(i: number, cap = 20, limit = 250): { ids: string[]; count: number; truncated: boolean } {
    if ((this.outputs[i] ?? []).length === 0) return { ids: [], count: 0, truncated: false };
    const mark = (this.#mark ??= new Int32Array(this.assets.length));
    this.#stamp += 1;
    const stamp = this.#stamp;
    mark[i] = stamp;
    // Marked when queued, so each asset enters the queue once and the walk stops at `limit`.
    const queue: number[] = [];
    for (const j of this.outputs[i] ?? []) {
      if (mark[j] !== stamp) {
        mark[j] = stamp;
        queue.push(j);
      }
    }
    const ids: string[] = [];
    for (let head = 0; head < queue.length; head += 1) {
      const j = queue[head] as number;
      if (ids.length < cap) ids.push((this.assets[j] as Asset).id);
      if (queue.length >= limit) return { ids: queue.slice(0, cap).map((k) => (this.assets[k] as Asset).id), count: queue.length, truncated: true };
      for (const k of this.outputs[j] ?? []) {
        if (mark[k] !== stamp) {
          mark[k] = stamp;
          queue.push(k);
        }
      }
    }
    const count = queue.length;
    return { ids, count, truncated: false };
  }
}

export function classificationFromRank(rank: number): Classification | undefined {
  return rank < 0 ? undefined : CLASSIFICATIONS[rank];
}

/**
 * Sum of declared records over a reach's sources, counting the same people once: a source derived
 * from another source in the same reach (features built from a raw extract) holds records of the
 * same data subjects, so only the upstream one is counted.
 */
const recordsMemo = new WeakMap<DataReach, number>();

export function recordsOf(graph: LineageGraph, reach: DataReach): number {
  const memo = recordsMemo.get(reach);
  if (memo !== undefined) return memo;
  let total = 0;
  const single = reach.sources.size === 1;
  for (const j of reach.sources) {
    if (!single && graph.hasUpstreamSourceIn(j, reach.sources)) continue;
    total += graph.assets[j]?.records ?? 0;
  }
  recordsMemo.set(reach, total);
  return total;
}

function unionSources(ins: readonly DataReach[]): { sources: ReadonlySet<number>; truncated: boolean } {
  if (ins.length === 0) return { sources: new Set<number>(), truncated: false };
  if (ins.length === 1) return { sources: (ins[0] as DataReach).sources, truncated: false }; // share, never mutated
  const out = new Set<number>();
  for (const r of ins) {
    for (const s of r.sources) {
      if (out.size >= MAX_SOURCES) return { sources: out, truncated: true };
      out.add(s);
    }
  }
  return { sources: out, truncated: false };
}

/** Union of sets plus own values; shares an input set when it already holds everything. */
function unionWith(sets: readonly ReadonlySet<string>[], own: readonly string[]): ReadonlySet<string> {
  if (sets.length === 1 && own.every((v) => (sets[0] as ReadonlySet<string>).has(v))) return sets[0] as ReadonlySet<string>;
  const out = new Set<string>(own);
  for (const s of sets) for (const v of s) out.add(v);
  return out;
}

/** Kahn's algorithm; nodes on a cycle (rejected by the loader) are appended so nothing is lost. */
function topologicalOrder(inputs: readonly (readonly number[])[], outputs: readonly (readonly number[])[]): number[] {
  const pending = inputs.map((ins) => ins.length);
  const order: number[] = [];
  for (let i = 0; i < pending.length; i += 1) if (pending[i] === 0) order.push(i);
  for (let head = 0; head < order.length; head += 1) {
    for (const j of outputs[order[head] as number] ?? []) {
      pending[j] = (pending[j] as number) - 1;
      if (pending[j] === 0) order.push(j);
    }
  }
  if (order.length < inputs.length) {
    const placed = new Set(order);
    for (let i = 0; i < inputs.length; i += 1) if (!placed.has(i)) order.push(i);
  }
  return order;
}
