// The external corpus (picklescan's test data): every malicious file must get a high or critical
// finding that names the import; no benign file may get one; unparseable files are unscannable.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { atOrAbove } from '../../../src/domain/index.js';
import { modelScanner } from '../../../src/scanners/models/index.js';
import { corporaRoot } from '../../helpers/paths.js';

const corpus = join(corporaRoot, 'picklescan-tests');
const labels = JSON.parse(readFileSync(join(corpus, 'labels.json'), 'utf8')) as Record<string, 'malicious' | 'benign'>;

async function scanOne(name: string) {
  return modelScanner.scan({ root: join(corpus, 'files'), inputs: [join(corpus, 'files', name)] }, { options: {} });
}

describe('picklescan corpus', () => {
  const malicious = Object.keys(labels).filter((name) => labels[name] === 'malicious');
  const benign = Object.keys(labels).filter((name) => labels[name] === 'benign');

  it('has the expected shape (95 malicious, 14 benign)', () => {
    assert.equal(malicious.length, 95);
    assert.equal(benign.length, 14);
  });

  it('reports every malicious file with a high or critical finding naming the import', async () => {
    const missed: string[] = [];
    for (const name of malicious) {
      const result = await scanOne(name);
      const named = result.findings.filter(
        (f) => atOrAbove(f.severity, 'high') && typeof f.properties?.['import'] === 'string' && f.message.includes(String(f.properties['import']).split('.').pop() ?? '\u0000'),
      );
      if (named.length === 0) missed.push(name);
    }
    assert.deepEqual(missed, [], `malicious files without a named high/critical finding: ${missed.join(', ')}`);
  });

  it('flags no benign file high or critical, and reports the unparseable ones as unscannable', async () => {
    const flagged: string[] = [];
    const unscannable: string[] = [];
    for (const name of benign) {
      const result = await scanOne(name);
      if (result.findings.some((f) => atOrAbove(f.severity, 'high'))) flagged.push(name);
      if (result.unscannable.length > 0) unscannable.push(name);
    }
    assert.deepEqual(flagged, []);
    // A PNG named .pt, bytes that are no pickle, and a password-protected zip cannot be shown safe.
    assert.deepEqual(unscannable.sort(), ['bad_pytorch.pt', 'benign_password_protected.zip', 'not_a_pickle.bin']);
  });
});
