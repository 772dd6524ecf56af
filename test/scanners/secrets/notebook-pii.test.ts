// Notebooks (cells, outputs, tracebacks, positions) and personal data (validators, aggregation, CSV headers).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  builtinEngine,
  ibanChecksumValid,
  luhnValid,
  parseJsonWithLines,
  PiiStream,
  scanNotebook,
  stripAnsi,
  validCard,
  validIban,
  validSsn,
} from '../../../src/scanners/secrets/index.js';
import { FakeCredentials } from '../../fixtures/secrets/fake-credentials.js';
import { notebookJson } from '../../fixtures/secrets/generate-corpus.js';

const f = new FakeCredentials(99);

describe('notebooks', () => {
  const openai = f.openai();
  const hf = f.huggingface();
  const pw = f.password();
  const nb = notebookJson([
    { cell_type: 'markdown', source: '# title\n' },
    { cell_type: 'code', source: `import os\nx = 1\nKEY = "${openai}"\n`, outputs: [] },
    {
      cell_type: 'code',
      source: 'print(os.environ)\n',
      outputs: [
        { name: 'stdout', output_type: 'stream', text: ['A=1\n', `HF_TOKEN=${hf}\n`] },
        { output_type: 'error', ename: 'E', evalue: 'boom', traceback: [`\u001b[0;31mError\u001b[0m: mysql://root:${pw}@10.0.0.5/db`] },
        { output_type: 'display_data', metadata: {}, data: { 'image/png': Buffer.from(f.chars(500)).toString('base64'), 'text/plain': ['<Figure>'] } },
        { output_type: 'execute_result', metadata: {}, execution_count: 3, data: { 'text/plain': ['contact: maria.lopez@gmail.com, +1 415-555-2671\n'] } },
      ],
    },
  ]);

  it('reports cell, output, line in the cell and line in the file', () => {
    const result = scanNotebook(nb, builtinEngine(), [], true);
    const byRule = new Map(result.findings.map((x) => [x.ruleId, x]));
    const key = byRule.get('secrets/openai-project-key');
    assert.equal(key?.member, 'cell 2');
    assert.equal(key?.notebook?.cell, 2);
    assert.equal(key?.notebook?.cellLine, 3);
    assert.equal(key?.fileLine, nb.split('\n').findIndex((l) => l.includes(openai)) + 1);
    const token = byRule.get('secrets/huggingface-token');
    assert.equal(token?.member, 'cell 3 output 1');
    assert.equal(token?.notebook?.cellLine, 2);
    assert.equal(token?.fileLine, nb.split('\n').findIndex((l) => l.includes(hf)) + 1);
    const db = byRule.get('secrets/database-uri-password');
    assert.equal(db?.member, 'cell 3 output 2');
    assert.ok(!JSON.stringify(result).includes(pw));
    const emails = result.pii.find((p) => p.ruleId === 'secrets/pii-email');
    assert.equal(emails?.member, 'cell 3 output 4');
    assert.ok(result.pii.some((p) => p.ruleId === 'secrets/pii-phone'));
  });

  it('strips ANSI colour codes from tracebacks', () => {
    assert.equal(stripAnsi('\u001b[0;31mValueError\u001b[0m: x'), 'ValueError: x');
  });

  it('keeps string positions when parsing JSON', () => {
    const root = parseJsonWithLines('{\n "a": [\n  "x",\n  "y\\n"\n ],\n "b": 1\n}');
    assert.equal(root.t, 'object');
    const a = root.t === 'object' ? root.entries.get('a') : undefined;
    assert.deepEqual(a?.t === 'array' ? a.items.map((i) => (i.t === 'string' ? [i.value, i.line] : null)) : null, [
      ['x', 3],
      ['y\n', 4],
    ]);
    assert.throws(() => parseJsonWithLines('{"a": [1, 2'));
    assert.throws(() => parseJsonWithLines(`${'['.repeat(1000)}${']'.repeat(1000)}`));
  });
});

describe('personal data', () => {
  it('validates cards with Luhn, IBANs with mod 97 and SSN ranges', () => {
    assert.ok(luhnValid('79927398713'));
    assert.ok(!luhnValid('79927398710'));
    const card = f.card();
    assert.ok(validCard(card));
    assert.ok(!validCard('4111 1111 1111 1111'), 'published test number');
    assert.ok(!validCard('1234 5678 9012 3456'));
    const iban = f.iban();
    assert.ok(ibanChecksumValid(iban) && validIban(iban));
    assert.ok(!validIban(`${iban.slice(0, -1)}${iban.endsWith('0') ? '1' : '0'}`));
    assert.ok(!validIban('DE89370400440532013000'), 'documentation example');
    assert.ok(validSsn('123', '45', '6780'));
    assert.ok(!validSsn('666', '12', '3456') && !validSsn('900', '12', '3456') && !validSsn('123', '00', '4567'));
  });

  it('aggregates many hits into one result per rule with a count and a masked sample', () => {
    const stream = new PiiStream('text');
    const lines = Array.from({ length: 500 }, (_, i) => `{"user": "u${i}", "email": "user${i}.x@corp-mail.com"}`);
    stream.pushText(`${lines.join('\n')}\n`);
    const [email] = stream.end();
    assert.equal(email?.ruleId, 'secrets/pii-email');
    assert.equal(email?.count, 500);
    assert.equal(email?.line, 1);
    assert.ok(!email?.sample.includes('user0.x@corp-mail.com'));
    assert.equal(email?.classification, 'confidential');
  });

  it('ignores example domains, image names, URL credentials, versions and ids', () => {
    const stream = new PiiStream('text');
    stream.pushText(['a@example.com', 'logo@2x.png', 'git@github.com', 'postgres://u:pass@db.internal/x', 'v1.2.3', `run ${f.uuid()}`, '2024-01-02', 'build 20240102123456'].join('\n'));
    assert.deepEqual(stream.end(), []);
  });

  it('uses CSV headers for dates of birth, MRNs and diagnosis codes', () => {
    const stream = new PiiStream('csv');
    const csv = ['patient_id,name,dob,icd10', '7,Ann Lee,1980-02-03,E11.9', '8,Bo Chan,03/04/1975,I10', ''].join('\n');
    stream.push(Buffer.from(csv));
    const found = new Map(stream.end().map((p) => [p.ruleId, p]));
    assert.equal(found.get('secrets/pii-date-of-birth')?.count, 2);
    assert.equal(found.get('secrets/pii-icd10-code')?.count, 2);
    assert.equal(found.get('secrets/pii-date-of-birth')?.line, 2);
    const plain = new PiiStream('csv');
    plain.push(Buffer.from('step,loss,date\n1,0.5,2024-01-01\n'));
    assert.deepEqual(plain.end(), []);
  });

  it('reads printed tables (a data frame in a notebook output) by their header', () => {
    const frame = [
      '   patient_name   mrn          dob         ssn          diagnosis_code',
      '0  Ann Lee        MRN-0042317  1980-02-03  123-45-6780  E11.9',
      '1  Bo Chan        MRN-0088125  1975-04-03  234-56-7891  I10',
      '',
      'epoch 12345 took 2024-01-01 E11.9',
    ].join('\n');
    const stream = new PiiStream('printed');
    stream.pushText(frame);
    const found = new Map(stream.end().map((p) => [p.ruleId, p]));
    assert.equal(found.get('secrets/pii-medical-record-number')?.count, 2, 'two MRNs, not the SSNs or the row index');
    assert.equal(found.get('secrets/pii-date-of-birth')?.count, 2);
    assert.equal(found.get('secrets/pii-icd10-code')?.count, 2, 'the table ends at the blank line');
    assert.equal(found.get('secrets/pii-us-ssn')?.count, 2);
    assert.equal(found.get('secrets/pii-medical-record-number')?.line, 2);
    // Training logs print tables too; without a sensitive column nothing is read from them.
    const log = new PiiStream('printed');
    log.pushText('step   loss    date\n100    0.51    2024-01-01\n200    0.48    2024-01-02\n');
    assert.deepEqual(log.end(), []);
    // Plain text mode does not guess at tables.
    const plain = new PiiStream('text');
    plain.pushText(frame);
    assert.equal(plain.end().some((p) => p.ruleId === 'secrets/pii-medical-record-number'), false);
  });

  it('finds values split across chunks', () => {
    const stream = new PiiStream('text');
    const text = `${'x '.repeat(3000)}ssn: 123-45-6780 ${'y '.repeat(10)}`;
    const cut = text.indexOf('123-45') + 4;
    stream.push(Buffer.from(text.slice(0, cut)));
    stream.push(Buffer.from(text.slice(cut)));
    const found = stream.end();
    assert.equal(found.length, 1);
    assert.equal(found[0]?.ruleId, 'secrets/pii-us-ssn');
  });
});
