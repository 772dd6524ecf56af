// The catalog and the scanners must agree: a scanner rule that says it is evidence for a control
// is only worth something if that control evaluates the scanner's evidence. A rule naming a
// control that never reads it would put findings in the report that no gap ever reflects.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCatalog } from '../../src/catalog/index.js';
import { createDefaultRegistry } from '../../src/scanners/index.js';

describe('catalog and scanners', () => {
  const catalog = loadCatalog();
  const byId = new Map(catalog.controls.map((c) => [c.id, c]));

  it('every control a scanner rule names exists and evaluates that scanner\'s evidence', () => {
    const problems: string[] = [];
    for (const scanner of createDefaultRegistry({ probe: true }).list()) {
      for (const rule of scanner.rules) {
        for (const id of rule.controls ?? []) {
          const control = byId.get(id);
          if (control === undefined) problems.push(`${rule.id} names unknown control ${id}`);
          else if (!control.evaluation.some((e) => e.type === 'evidence' && e.evidence === scanner.evidenceKind)) {
            problems.push(`${rule.id} names ${id}, which does not evaluate ${scanner.evidenceKind}`);
          }
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  it('every evidence kind the catalog asks for has a registered scanner', () => {
    const kinds = new Set(createDefaultRegistry().list().map((s) => s.evidenceKind));
    const wanted = catalog.controls.flatMap((c) => c.evaluation.flatMap((e) => (e.type === 'evidence' ? [`${c.id}: ${e.evidence}`] : [])));
    assert.deepEqual(wanted.filter((w) => !kinds.has(w.split(': ')[1] as string)), []);
  });
});
