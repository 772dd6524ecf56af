// The detection engine: streaming across chunk boundaries, lines and columns, masking, inline
// suppression, and bounded time on hostile single-line input.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinEngine, KeywordAutomaton, maskSecret, revealedCount } from '../../../src/scanners/secrets/index.js';
import { FakeCredentials, j } from '../../fixtures/secrets/fake-credentials.js';
import { detect } from './helpers.js';

const f = new FakeCredentials(7);

describe('keyword automaton', () => {
  it('finds overlapping keywords case-insensitively and across chunk boundaries', () => {
    const ac = new KeywordAutomaton(['he', 'she', 'hers', 'token']);
    const hits = ac.findAll(Buffer.from('uSHErs TOKEN'));
    assert.deepEqual(hits.map((h) => [ac.keywords[h.keyword], h.start]).sort(), [['he', 2], ['hers', 2], ['she', 1], ['token', 7]].sort());
    const text = Buffer.from('xx tok' + 'en yy');
    const found: number[] = [];
    let state = ac.scan(text.subarray(0, 6), 0, 6, 0, 0, (_k, s) => found.push(s));
    state = ac.scan(text.subarray(6), 0, text.length - 6, state, 6, (_k, s) => found.push(s));
    assert.deepEqual(found, [3]);
  });
});

describe('masking', () => {
  it('shows a short prefix and the last characters, never more than a quarter', () => {
    const key = f.openai();
    const masked = maskSecret(key, 8);
    assert.ok(masked.startsWith(j('sk-', 'proj-')));
    assert.ok(masked.endsWith(key.slice(-4)));
    assert.ok(!masked.includes(key.slice(8, 20)));
    for (const secret of ['abcdefgh', 'Winter2024!', f.mixed(40), f.mixed(200)]) {
      assert.ok(revealedCount(secret, 4) <= secret.length / 4, secret);
    }
    assert.equal(maskSecret('abc'), '****…');
    assert.equal(maskSecret('abcdefgh'), '****…gh');
  });
});

describe('detection engine', () => {
  it('reports line and column of each secret and masks every secret on the evidence line', () => {
    const gh = f.github();
    const hf = f.huggingface();
    const found = detect(`first line\n\n  a = "${gh}"; b = "${hf}"\n`, 'code');
    assert.deepEqual(found.map((x) => [x.ruleId, x.line, x.column]), [
      ['secrets/github-classic-token', 3, 8],
      ['secrets/huggingface-token', 3, 56],
    ]);
    for (const x of found) {
      assert.ok(!x.evidence.includes(gh) && !x.evidence.includes(hf), x.evidence);
      assert.ok(!x.evidence.includes(gh.slice(4, 20)) && !x.evidence.includes(hf.slice(3, 20)), x.evidence);
    }
  });

  it('finds a secret split across two streamed chunks, once, at the right line', () => {
    const key = f.anthropic();
    const prefix = 'x = 1\n'.repeat(1000);
    const text = Buffer.from(`${prefix}KEY=${key}\n${'y = 2\n'.repeat(1000)}`);
    for (const cut of [prefix.length + 10, prefix.length + 4 + 50, prefix.length + 2]) {
      const stream = builtinEngine().stream('config');
      stream.push(text.subarray(0, cut));
      stream.push(text.subarray(cut));
      const found = stream.end().findings;
      assert.equal(found.length, 1, `cut at ${cut}`);
      assert.equal(found[0]?.ruleId, 'secrets/anthropic-api-key');
      assert.equal(found[0]?.line, 1001);
    }
  });

  it('streams a multi-chunk input with many secrets and keeps line numbers exact', () => {
    const stream = builtinEngine().stream('config');
    const expected: number[] = [];
    let line = 1;
    let chunk = '';
    for (let i = 0; i < 3000; i += 1) {
      if (i % 300 === 150) {
        chunk += `TOKEN_${i}=${f.github()}\n`;
        expected.push(line);
      } else chunk += `value_${i} = compute(${i}) # ${'pad '.repeat(i % 40)}\n`;
      line += 1;
      if (chunk.length > 7000) {
        stream.push(Buffer.from(chunk));
        chunk = '';
      }
    }
    stream.push(Buffer.from(chunk));
    assert.deepEqual(stream.end().findings.map((x) => x.line), expected);
  });

  it('honours warden:allow on the line or the line before', () => {
    const a = f.github();
    const b = f.github();
    const c = f.github();
    const found = detect(`# warden:allow revoked fixture\nA="${a}"\nB="${b}"  # warden:allow\n\nC="${c}"\n`, 'code');
    assert.deepEqual(found.map((x) => [x.line, x.suppressed ?? 'reported']), [
      [2, 'inline'],
      [3, 'inline'],
      [5, 'reported'],
    ]);
  });

  it('does not report placeholders, references or documentation examples', () => {
    const text = [
      'OPENAI_API_KEY=<YOUR_KEY>',
      `key = "${j('sk-', 'proj-', '...', 'XXXX')}"`,
      'token = "${GITHUB_TOKEN}"',
      'api_key = os.environ["OPENAI_API_KEY"]',
      `id = ${j('AKIA', 'IOSFODNN7', 'EXAMPLE')}`,
      'token: ${{ secrets.GITHUB_TOKEN }}',
      `password = "${'*'.repeat(12)}"`,
    ].join('\n');
    assert.deepEqual(detect(text, 'config'), []);
  });

  it('finishes a 10 MB single-line hostile file in bounded time', () => {
    const unit = `password=${'a'.repeat(30)}eyJ${'A'.repeat(40)}.${j('-----BEGIN ', 'PRIVATE', ' KEY-----')}${'B'.repeat(200)}${j('gh', 'p_')}AKIA://:@twilio"auths"sig=`;
    const line = unit.repeat(Math.ceil((10 * 1024 * 1024) / unit.length)).slice(0, 10 * 1024 * 1024);
    const buffer = Buffer.from(line);
    const started = performance.now();
    const stream = builtinEngine().stream('config');
    for (let i = 0; i < buffer.length; i += 4 * 1024 * 1024) stream.push(buffer.subarray(i, i + 4 * 1024 * 1024));
    const result = stream.end();
    const seconds = (performance.now() - started) / 1000;
    assert.ok(seconds < 20, `took ${seconds.toFixed(1)} s`);
    assert.ok(result.findings.every((x) => x.line === 1));
  });

  it('finishes a 10 MB single line of random text with a secret at the end', () => {
    const filler = f.chars(1024 * 1024);
    const key = f.github();
    const text = `${filler.repeat(10)} token=${key}`;
    const started = performance.now();
    const found = detect(text, 'config');
    const seconds = (performance.now() - started) / 1000;
    assert.ok(seconds < 10, `took ${seconds.toFixed(1)} s`);
    assert.ok(found.some((x) => x.ruleId === 'secrets/github-classic-token' && x.line === 1));
  });
});
