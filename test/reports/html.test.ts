import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { renderReport } from '../../src/reports/index.js';
import { HOSTILE, OPTIONS, assessmentDocument, hostileAssessment, hostileScan, scanDocument } from './fixtures.js';

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

/** Every way an HTML page can make the browser fetch something. */
const NETWORK_LOAD = [
  /\b(?:src|href|action|formaction|poster|data|srcset|xlink:href)\s*=\s*["']?\s*(?:https?:)?\/\//i,
  /url\(\s*["']?\s*(?:https?:)?\/\//i,
  /@import/i,
  /<link\b/i,
  /<iframe\b/i,
  /<object\b/i,
  /<embed\b/i,
];

function assertNoNetworkLoads(html: string): void {
  for (const pattern of NETWORK_LOAD) assert.doesNotMatch(html, pattern);
}

describe('HTML report', () => {
  it('is one self-contained page with every section of an assessment', () => {
    const html = renderReport(assessmentDocument(), 'html', OPTIONS);
    assert.match(html, /^<!DOCTYPE html>/);
    for (const id of ['summary', 'gaps', 'assets', 'controls', 'roadmap', 'scanners', 'findings']) {
      assert.match(html, new RegExp(`<section id="${id}"`), id);
    }
    // Three charts drawn inline: pillar scores, gaps by severity, roadmap per month.
    assert.match(html, /<svg class="chart"[^>]*aria-label="Score by pillar"/);
    assert.match(html, /<svg class="chart"[^>]*aria-label="Gaps by severity"/);
    assert.match(html, /<svg class="chart"[^>]*aria-label="Roadmap progress per month"/);
    // The five questions are answered per asset, with the blast radius.
    assert.match(html, /Who has access\?/);
    assert.match(html, /What happens if this system is compromised\?/);
    assert.match(html, /Notify the covered entity \(client\) within <b>60 days<\/b>/);
    assert.match(html, /scanner crashed: out of memory/);
    assertNoNetworkLoads(html);
  });

  it('forbids network loads with a Content-Security-Policy that allows only its own style and script', () => {
    const html = renderReport(assessmentDocument(), 'html', OPTIONS);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(csp, 'a CSP meta element');
    const policy = csp.replace(/&#39;/g, "'");
    assert.match(policy, /default-src 'none'/);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1];
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1];
    assert.ok(style !== undefined && script !== undefined);
    assert.ok(policy.includes(`style-src 'sha256-${sha256(style)}'`), 'the stylesheet is allowed by its hash');
    assert.ok(policy.includes(`script-src 'sha256-${sha256(script)}'`), 'the script is allowed by its hash');
    // Inline style attributes would be blocked by that policy: the page must not rely on them.
    assert.doesNotMatch(html, /\sstyle=/);
    assert.equal(html.match(/<script\b/g)?.length, 1);
  });

  it('escapes hostile asset names, reasons and finding messages', () => {
    const html = renderReport(hostileAssessment(), 'html', OPTIONS);
    assert.ok(!html.includes(HOSTILE.script), 'no live <script> from the data');
    assert.ok(!html.includes('<img'), 'no live <img> from the data');
    assert.ok(html.includes('&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;'), 'shown as text');
    assert.ok(html.includes('&lt;img src=&quot;https://evil.example/pixel.png&quot;'));
    assert.equal(html.match(/<script\b/g)?.length, 1, 'only our own script element');
    assert.doesNotMatch(html, /\u001b/, 'no raw terminal escapes either');
    assertNoNetworkLoads(html);
  });

  it('renders a scan as a findings page, hostile paths escaped, unscannable inputs listed', () => {
    const html = renderReport(hostileScan(), 'html', OPTIONS);
    assert.match(html, /<section id="findings"><h2>Findings \(5\)<\/h2>/);
    assert.match(html, /<section id="unscannable">/);
    assert.match(html, /corrupt zip central directory/);
    assert.match(html, /They are not known to be clean/);
    assert.ok(!html.includes(HOSTILE.script));
    assertNoNetworkLoads(html);
    const clean = renderReport(scanDocument({}, 'critical'), 'html', OPTIONS);
    assert.match(clean, /1 finding at or above --fail-on critical: failing/);
  });

  it('keeps the findings filter hidden until its script runs, so the page reads without it', () => {
    const html = renderReport(scanDocument(), 'html', OPTIONS);
    assert.match(html, /<input class="filter"[^>]*data-filter="findings-table" hidden>/);
    assert.match(html, /<table id="findings-table">/);
  });
});
