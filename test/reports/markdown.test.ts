import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeMarkdown, renderReport } from '../../src/reports/index.js';
import { OPTIONS, assessmentDocument, hostileAssessment, hostileScan } from './fixtures.js';

/** Cells of a GFM table row: split on pipes that are not backslash-escaped. */
function cells(row: string): string[] {
  return row.trim().replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/);
}

describe('Markdown report', () => {
  it('keeps hostile strings inside their table cell', () => {
    const md = renderReport(hostileScan(), 'markdown', OPTIONS);
    const header = md.split('\n').find((line) => line.startsWith('| Severity |'));
    assert.ok(header);
    const rows = md.split('\n').filter((line) => /^\| (\*\*)?(CRITICAL|HIGH|MEDIUM|LOW|INFO)/.test(line));
    assert.equal(rows.length, 5);
    for (const row of rows) assert.equal(cells(row).length, cells(header).length, row);
    const hostile = rows.find((row) => row.includes('alert'));
    assert.ok(hostile);
    assert.ok(hostile.includes('a \\| b \\| c'), 'pipes escaped');
    assert.ok(hostile.includes('\\`\\`\\`rm -rf /\\`\\`\\`'), 'backticks escaped');
    assert.ok(hostile.includes('&lt;script&gt;'), 'HTML shown as text');
    assert.ok(!md.includes('<script'), 'no raw HTML from the data');
    assert.ok(!md.includes('\u001b'), 'no terminal escapes');
    assert.ok(!/@octocat/.test(md), 'no live @mention');
    assert.ok(md.includes('@\u200boctocat'));
  });

  it('escapes hostile asset names in headings and the assessment tables', () => {
    const md = renderReport(hostileAssessment(), 'markdown', OPTIONS);
    assert.ok(!md.includes('<script'));
    assert.ok(!md.includes('<img'));
    assert.match(md, /### research-notebooks: &lt;script&gt;alert\("owned"\)&lt;\/script&gt;/);
    const gapHeader = md.split('\n').find((line) => line.startsWith('| # | Severity | Control'));
    assert.ok(gapHeader);
    const first = md.split('\n').find((line) => line.startsWith('| 1 |'));
    assert.ok(first);
    assert.equal(cells(first).length, cells(gapHeader).length);
  });

  it('has the content of the table format: score, pillars, top gaps, assets with problems, roadmap', () => {
    const md = renderReport(assessmentDocument(), 'markdown', OPTIONS);
    assert.match(md, /^# Warden assessment: Northwind AI/);
    assert.match(md, /\*\*63\.1\/100\*\*/);
    assert.match(md, /\*\*Gaps:\*\* 2 critical · 3 high · 4 medium · 3 low · 0 info/);
    assert.match(md, /\| Infrastructure \| 37\.5 \|/);
    assert.match(md, /<details><summary>… and 2 more<\/summary>/);
    assert.match(md, /## Assets with problems \(3 of 4\)/);
    assert.ok(!md.includes('### public-docs'), 'an asset without problems is not listed');
    assert.match(md, /\| Months 4-6 \| 0\/0 \|/);
    assert.match(md, /\*\*error:\*\* scanner crashed: out of memory/);
  });

  it('escapes what starts Markdown blocks and inline markup', () => {
    assert.equal(escapeMarkdown('# not a heading'), '\\# not a heading');
    assert.equal(escapeMarkdown('1. not a list'), '1\\. not a list');
    assert.equal(escapeMarkdown('[link](https://x)'), '\\[link\\](https://x)');
    assert.equal(escapeMarkdown('*bold* _em_ ~~del~~'), '\\*bold\\* \\_em\\_ \\~\\~del\\~\\~');
    assert.equal(escapeMarkdown('line\nbreak'), 'line break');
  });
});
