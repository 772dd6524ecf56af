import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WardenError } from '../../src/domain/index.js';
import { REPORT_FORMATS, isReportFormat, renderReport } from '../../src/reports/index.js';
import type { ReportFormat } from '../../src/reports/index.js';
import { OPTIONS, assessmentDocument, scanDocument } from './fixtures.js';

describe('renderReport', () => {
  it('renders both document kinds in every format, ending in a newline', () => {
    assert.deepEqual([...REPORT_FORMATS], ['table', 'json', 'markdown', 'sarif', 'html']);
    for (const doc of [assessmentDocument(), scanDocument()]) {
      for (const format of REPORT_FORMATS) {
        const text = renderReport(doc, format, OPTIONS);
        assert.ok(text.length > 200, `${doc.kind} ${format} has content`);
        assert.ok(text.endsWith('\n'), `${doc.kind} ${format} ends in a newline`);
      }
    }
  });

  it('is deterministic: the same document renders to the same text', () => {
    for (const format of REPORT_FORMATS) {
      assert.equal(renderReport(assessmentDocument(), format, OPTIONS), renderReport(assessmentDocument(), format, OPTIONS));
    }
  });

  it('renders an empty scan and an assessment without gaps or scanners', () => {
    const emptyScan = { kind: 'scan', scanner: 'models', results: [], rules: [] } as const;
    const base = assessmentDocument().result;
    const clean = {
      kind: 'assessment',
      result: { ...base, gaps: [], findings: [], scanners: [], controls: base.controls.filter((c) => c.status === 'pass') },
    } as const;
    for (const format of REPORT_FORMATS) {
      assert.ok(renderReport(emptyScan, format, OPTIONS).length > 0);
      assert.ok(renderReport(clean, format, OPTIONS).length > 0);
    }
    assert.match(renderReport(clean, 'table', OPTIONS), /No gaps/);
    assert.match(renderReport(emptyScan, 'html', OPTIONS), /No findings\./);
  });

  it('refuses an unknown format with a usage error', () => {
    assert.equal(isReportFormat('pdf'), false);
    assert.equal(isReportFormat('sarif'), true);
    assert.throws(
      () => renderReport(scanDocument(), 'pdf' as ReportFormat, OPTIONS),
      (error: unknown) => error instanceof WardenError && error.code === 'USAGE',
    );
  });
});
