// Reports written in pieces must be exactly the JSON a single JSON.stringify would give, and the
// pieces of a large report must each stay small (the point of writing them in pieces).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LazyList, jsonChunks, renderReportChunks } from '../../src/reports/index.js';
import { assessmentDocument, hostileAssessment, hostileScan, scanDocument } from './fixtures.js';

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function randomValue(rand: () => number, depth: number): unknown {
  const r = rand();
  if (depth > 5 || r < 0.25) {
    const leaves: unknown[] = [null, true, false, 0, -1.5, 1e21, 'text', 'line\nbreak "quoted" \u2028', '', undefined, new Date(0), Number.NaN];
    return leaves[Math.floor(rand() * leaves.length)];
  }
  if (r < 0.6) {
    // Long arrays (the streamed case) only near the top, with shallow elements, to keep the size sane.
    const long = depth <= 2 && rand() < 0.2;
    const length = long ? 64 + Math.floor(rand() * 100) : Math.floor(rand() * 5);
    return Array.from({ length }, () => randomValue(rand, long ? depth + 4 : depth + 1));
  }
  const out: Record<string, unknown> = {};
  const keys = Math.floor(rand() * 6);
  for (let k = 0; k < keys; k += 1) out[`k${k}${rand() < 0.1 ? '"\n' : ''}`] = randomValue(rand, depth + 1);
  if (rand() < 0.05) out['fn'] = () => 1;
  return out;
}

describe('JSON written in pieces', () => {
  it('is byte-for-byte JSON.stringify(value, null, 2) for random documents', () => {
    const rand = prng(7);
    for (let i = 0; i < 300; i += 1) {
      const value = { root: randomValue(rand, 0), list: Array.from({ length: 100 }, (_, j) => ({ j, nested: [j, { deep: [j] }] })) };
      assert.equal([...jsonChunks(value)].join(''), `${JSON.stringify(value, null, 2)}\n`, `document ${i}`);
    }
    for (const edge of [[], {}, [[]], [{}], 'x', 1, null, [undefined], { a: undefined }]) {
      assert.equal([...jsonChunks(edge)].join(''), `${JSON.stringify(edge, null, 2)}\n`, JSON.stringify(edge) ?? 'undefined');
    }
  });

  it('writes lazy lists exactly like the arrays they stand for, making elements only as it writes them', () => {
    let made = 0;
    const lazy = new LazyList(500, (i) => {
      made += 1;
      return { i, nested: { list: [i, `x${i}`] } };
    });
    const doc = { findings: lazy, few: new LazyList(2, (i) => i * 2), none: new LazyList(0, () => 1) };
    const pieces = jsonChunks(doc);
    let written = '';
    while (!written.includes('"i": 0')) written += pieces.next().value as string;
    assert.ok(made > 0 && made <= 64, `only the first batch exists when it is written (${made} made)`);
    written += [...pieces].join('');
    assert.equal(made, 500);
    assert.equal(written, `${JSON.stringify(doc, null, 2)}\n`);
  });

  it('writes a large report in small pieces, lazily', () => {
    const big = { findings: Array.from({ length: 100_000 }, (_, i) => ({ ruleId: `r${i}`, message: 'x'.repeat(50), location: { path: `f${i}` } })) };
    let largest = 0;
    let total = 0;
    const pieces = jsonChunks(big);
    // Lazy: the first piece comes before the rest of the document is serialised.
    const first = pieces.next();
    assert.equal(first.done, false);
    assert.ok(typeof first.value === 'string' && first.value.length < 200_000);
    for (const piece of pieces) {
      largest = Math.max(largest, piece.length);
      total += piece.length;
    }
    assert.ok(total > 10_000_000, `total ${total}`);
    assert.ok(largest < 200_000, `largest piece ${largest}`);
  });

  it('renders the JSON and SARIF reports the same whole or in pieces', () => {
    for (const doc of [assessmentDocument(), hostileAssessment(), scanDocument(), hostileScan()]) {
      for (const format of ['json', 'sarif'] as const) {
        const text = [...renderReportChunks(doc, format, { color: false, toolVersion: '1.0.0' })].join('');
        const parsed: unknown = JSON.parse(text);
        assert.equal(text, `${JSON.stringify(parsed, null, 2)}\n`, `${doc.kind} ${format}`);
      }
    }
  });
});
