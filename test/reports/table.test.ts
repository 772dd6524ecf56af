import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderReport, sanitizeTerminal, shouldUseColor } from '../../src/reports/index.js';
import { OPTIONS, assessmentDocument, hostileAssessment, hostileScan, scanDocument } from './fixtures.js';

const ANSI = /\u001b\[[0-9;]*m/;
const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');

describe('table report', () => {
  it('has no ANSI codes without colour and has them with colour', () => {
    for (const doc of [assessmentDocument(), scanDocument()]) {
      const plain = renderReport(doc, 'table', OPTIONS);
      assert.doesNotMatch(plain, /\u001b/);
      const coloured = renderReport(doc, 'table', { ...OPTIONS, color: true });
      assert.match(coloured, ANSI);
      assert.equal(stripAnsi(coloured), plain, 'colour changes nothing but colour');
    }
  });

  it('fits every line of an assessment in the terminal width, colour or not', () => {
    for (const width of [60, 80, 120]) {
      for (const color of [false, true]) {
        const text = renderReport(assessmentDocument(), 'table', { ...OPTIONS, color, width });
        for (const line of stripAnsi(text).split('\n')) assert.ok([...line].length <= width, `${width}: ${line}`);
      }
    }
  });

  it('never passes an escape sequence from the data to the terminal, even with colour', () => {
    for (const doc of [hostileAssessment(), hostileScan()]) {
      const coloured = renderReport(doc, 'table', { ...OPTIONS, color: true });
      assert.ok(!coloured.includes('\u001b[2J'), 'no screen clear from the data');
      assert.ok(!stripAnsi(coloured).includes('\u001b'), 'only our own SGR sequences');
    }
    assert.equal(sanitizeTerminal('a\u001b[2Jb\rc\u202ed'), 'a\\x1b[2Jb c\\u{202e}d');
  });

  it('leads an assessment with the verdict and lists the riskiest gaps first', () => {
    const text = renderReport(assessmentDocument(), 'table', OPTIONS);
    const lines = text.split('\n');
    assert.match(lines[0] ?? '', /Warden assessment · Northwind AI/);
    assert.match(text, /Score\s+63\.1\/100/);
    assert.match(text, /1 passed, 8 failed, 4 partial, 2 pending/);
    assert.match(text, /2 critical, 3 high, 4 medium, 3 low, 0 info/);
    assert.match(text, /RISKIEST GAPS \(TOP 10 OF 12\)/);
    assert.match(text, /… and 2 more/);
    const firstGap = lines.findIndex((l) => /^\s+1\s+CRITICAL\s+WD-INFRA-04/.test(l));
    const secondGap = lines.findIndex((l) => /^\s+2\s+CRITICAL\s+WD-DATA-03/.test(l));
    assert.ok(firstGap > 0 && secondGap > firstGap, 'ranked order');
    assert.match(lines[firstGap + 1] ?? '', /^\s+Development environment security is not in place/, 'the reason below');
    // Assets with problems, riskiest first, with their five answers; the healthy one is left out.
    assert.match(text, /ASSETS WITH PROBLEMS \(3 OF 4\)/);
    assert.ok(text.indexOf('research-notebooks  Research JupyterLab') < text.indexOf('claims-lake  Claims data lake'));
    assert.doesNotMatch(text, /public-docs/);
    assert.match(text, /✗ access\s+bad\s+4 people and anyone on the internet/);
    assert.match(text, /Months 4-6\s+█+ 0\/0 done/);
    assert.match(text, /scanner crashed: out of memory/);
  });

  it('lists scan findings with path:line, counts and unscannable inputs, within the width', () => {
    const text = renderReport(scanDocument({}, 'high'), 'table', { ...OPTIONS, width: 140 });
    assert.match(text, /SEVERITY\s+RULE\s+LOCATION\s+MESSAGE/);
    assert.match(text, /CRITICAL\s+secrets\/aws-access-key\s+repos\/research\/config\/settings\.py:12\s+AWS access key AKIA…WXYZ/);
    assert.match(text, /repos\/research\/notebooks\/explore data\.ipynb!cell 3:2/);
    assert.match(text, /http:\/\/127\.0\.0\.1:8888\/api/);
    assert.match(text, /5 findings: 1 critical, 1 high, 1 medium, 1 low, 1 info/);
    assert.match(text, /repos\/broken\.zip: corrupt zip central directory/);
    assert.match(text, /2 findings at or above --fail-on high: failing/);
    for (const line of text.split('\n')) assert.ok([...line].length <= 140, `fits in 140 columns: ${line}`);
  });

  it('stacks scan findings on a narrow terminal instead of squeezing the message', () => {
    const text = renderReport(scanDocument(), 'table', { ...OPTIONS, width: 60 });
    assert.doesNotMatch(text, /SEVERITY\s+RULE/);
    assert.match(text, /\n  CRITICAL  repos\/research\/config\/settings\.py:12\n\s{12}secrets\/aws-access-key\n\s{12}AWS access key AKIA…WXYZ\n/);
    for (const line of text.split('\n')) assert.ok([...line].length <= 60, `fits in 60 columns: ${line}`);
  });

  it('says so when a scan found nothing', () => {
    const doc = { kind: 'scan', scanner: 'secrets', results: [], rules: [], failOn: 'low' } as const;
    const text = renderReport(doc, 'table', OPTIONS);
    assert.match(text, /No findings\./);
    assert.match(text, /Nothing at or above --fail-on low/);
  });
});

describe('shouldUseColor', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  it('colours a TTY and not a pipe', () => {
    assert.equal(shouldUseColor(tty, {}), true);
    assert.equal(shouldUseColor(pipe, {}), false);
    assert.equal(shouldUseColor({}, {}), false);
  });
  it('turns colour off for any non-empty NO_COLOR, and for TERM=dumb', () => {
    assert.equal(shouldUseColor(tty, { NO_COLOR: '1' }), false);
    assert.equal(shouldUseColor(tty, { NO_COLOR: 'false' }), false);
    assert.equal(shouldUseColor(tty, { NO_COLOR: '' }), true, 'an empty NO_COLOR is ignored');
    assert.equal(shouldUseColor(tty, { TERM: 'dumb' }), false);
  });
  it('lets FORCE_COLOR force colour on, into a pipe, and FORCE_COLOR=0 force it off', () => {
    assert.equal(shouldUseColor(pipe, { FORCE_COLOR: '1' }), true);
    assert.equal(shouldUseColor(pipe, { FORCE_COLOR: '' }), true);
    assert.equal(shouldUseColor(tty, { FORCE_COLOR: '0' }), false);
    assert.equal(shouldUseColor(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }), true);
  });
});
