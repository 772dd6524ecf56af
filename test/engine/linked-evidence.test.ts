// Findings in a repository's infrastructure code become evidence about the dataset whose bucket
// it defines and the server its firewall guards.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Asset, Finding } from '../../src/domain/index.js';
import { linkEvidence, storageNameOfLocation } from '../../src/engine/index.js';
import type { AssetEvidence } from '../../src/engine/index.js';

function finding(ruleId: string, properties: Record<string, string>): Finding {
  return { ruleId, severity: 'high', message: ruleId, location: { path: 'infra/main.tf', line: 3 }, fingerprint: ruleId, source: 'iac', asset: 'repo', properties };
}

const assets: Asset[] = [
  { id: 'repo', kind: 'code-repository', owner: 'o', location: 'repos/x' },
  { id: 'raw', kind: 'dataset', owner: 'o', location: 's3://NW-Raw/patients/' },
  { id: 'raw-copy', kind: 'storage', owner: 'o', location: 's3a://nw-raw' },
  { id: 'eu', kind: 'dataset', owner: 'o', location: 'abfss://data@nweu.dfs.core.windows.net/p' },
  { id: 'notebooks', kind: 'notebook-server', owner: 'o', location: '203.0.113.10:8888' },
];

describe('linked evidence', () => {
  it('reads the bucket or storage account of a location', () => {
    assert.equal(storageNameOfLocation('s3://nw-raw/a/b'), 'nw-raw');
    assert.equal(storageNameOfLocation('gs://eu-bucket'), 'eu-bucket');
    assert.equal(storageNameOfLocation('https://acct1.blob.core.windows.net/c/x'), 'acct1');
    assert.equal(storageNameOfLocation('repos/x'), undefined);
    assert.equal(storageNameOfLocation('https://api.example/v1'), undefined);
  });

  it('adds findings to the assets they name by bucket or tag, once, and keeps the scanned asset\'s copy', () => {
    const bucket = finding('iac/storage-public-access-block', { storageName: 'nw-raw' });
    const firewall = finding('iac/ingress-open-ai-port', { assetTag: 'notebooks' });
    const stranger = finding('iac/ingress-open-admin-port', { assetTag: 'no-such-asset', storageName: 'other-bucket' });
    const both = finding('iac/encryption-at-rest-missing', { storageName: 'nweu', assetTag: 'eu' });
    const repo: AssetEvidence = { scanner: 'iac', findings: [bucket, firewall, stranger, both], unscannable: 0 };
    const evidence = new Map([['scan:iac', new Map([['repo', repo]])]]);
    const links = linkEvidence(evidence, assets);
    const byAsset = evidence.get('scan:iac');
    assert.equal(byAsset?.get('repo')?.findings.length, 4);
    assert.deepEqual(byAsset?.get('raw')?.findings.map((f) => f.ruleId), ['iac/storage-public-access-block']);
    assert.deepEqual(byAsset?.get('raw-copy')?.findings.map((f) => f.ruleId), ['iac/storage-public-access-block']);
    assert.deepEqual(byAsset?.get('notebooks')?.findings.map((f) => f.ruleId), ['iac/ingress-open-ai-port']);
    assert.deepEqual(byAsset?.get('eu')?.findings.map((f) => f.ruleId), ['iac/encryption-at-rest-missing'], 'a finding linked twice to one asset counts once');
    assert.equal(links, 4);
    assert.equal(byAsset?.get('raw')?.linkedOnly, true, 'not scanned itself: the links prove problems, not their absence');
    assert.equal(byAsset?.get('repo')?.linkedOnly, undefined);
  });
});
