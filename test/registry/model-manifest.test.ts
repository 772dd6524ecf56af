// Manifest details that decide compatibility with the reference tool: resource order, shard cuts
// and names, ignore-path rules, and per-file difference reporting.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  compareResourcePaths,
  computeManifest,
  diffManifests,
  hashRanges,
  buildStatementPayload,
  normaliseIgnorePath,
  parseShardName,
  parseStatementPayload,
  shardRanges,
  walkModel,
} from '../../src/registry/index.js';
import { makeTempDir, removeDir, writeTree } from './signing-fixtures.js';

describe('model manifest', () => {
  let work = '';
  before(async () => {
    work = await makeTempDir('manifest');
  });
  after(async () => removeDir(work));

  it('orders resources by path components like Python PurePosixPath', () => {
    const names = ['a-c', 'a/b', 'B', 'a', 'a/b/c', '\u{1F600}', '\uFFFD'];
    assert.deepEqual([...names].sort(compareResourcePaths), ['B', 'a', 'a/b', 'a/b/c', 'a-c', '\uFFFD', '\u{1F600}']);
  });

  it('cuts shards at multiples of the shard size and parses names back', () => {
    assert.deepEqual(shardRanges(9, 2), [
      { start: 0, end: 2 },
      { start: 2, end: 4 },
      { start: 4, end: 6 },
      { start: 6, end: 8 },
      { start: 8, end: 9 },
    ]);
    assert.deepEqual(shardRanges(0, 2), []);
    assert.deepEqual(parseShardName('dir/we:ird.bin:100:200'), { path: 'dir/we:ird.bin', start: 100, end: 200 });
    assert.equal(parseShardName('plain-name'), null);
    assert.equal(parseShardName('x:5:2'), null);
  });

  it('normalises ignore paths and rejects ones outside the model', () => {
    assert.equal(normaliseIgnorePath('./notes//x/'), 'notes/x');
    assert.equal(normaliseIgnorePath('../up'), null);
    assert.equal(normaliseIgnorePath('/abs'), null);
    assert.equal(normaliseIgnorePath('.'), '.');
  });

  it('hashes whole files and shards with streaming workers to the same digests as one-shot SHA-256', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < big.length; i += 1) big[i] = (i * 31) & 0xff;
    const model = join(work, 'hash');
    await writeTree(model, { 'big.bin': big, 'small.txt': 'hi', 'empty.bin': '' });
    const listing = await walkModel(model, { ignorePaths: [], allowSymlinks: false });
    const files = await computeManifest(listing, { method: 'files', hashType: 'sha256', allowSymlinks: false }, { workers: 2, chunkSize: 64 * 1024 });
    const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
    assert.deepEqual(
      files.resources.map((r) => [r.name, r.digestHex]),
      [
        ['big.bin', sha(big)],
        ['empty.bin', sha('')],
        ['small.txt', sha('hi')],
      ],
    );
    const shards = await computeManifest(listing, { method: 'shards', hashType: 'sha256', allowSymlinks: false, shardSize: 1_000_000 }, { workers: 2 });
    assert.deepEqual(
      shards.resources.map((r) => r.name),
      ['big.bin:0:1000000', 'big.bin:1000000:2000000', 'big.bin:2000000:3000000', 'big.bin:3000000:3145745', 'small.txt:0:2'],
    );
    assert.equal(shards.resources[3]?.digestHex, sha(big.subarray(3_000_000)));
    assert.equal(shards.resources[0]?.algorithm, 'sha256-sharded-1000000');
  });

  it('reports a file that vanished while hashing instead of a digest', async () => {
    await assert.rejects(
      hashRanges([{ path: join(work, 'no-such-file'), start: 0, end: null, followSymlinks: false }], [0], { workers: 1 }),
      /no-such-file: cannot open/,
    );
  });

  it('reports a grown or shrunk sharded file once, as changed', () => {
    const expected = [
      { name: 'w.bin:0:10', algorithm: 'x', digestHex: 'aa' },
      { name: 'w.bin:10:15', algorithm: 'x', digestHex: 'bb' },
      { name: 'keep:0:1', algorithm: 'x', digestHex: 'cc' },
    ];
    const actual = [
      { name: 'w.bin:0:10', algorithm: 'x', digestHex: 'aa' },
      { name: 'w.bin:10:12', algorithm: 'x', digestHex: 'dd' },
      { name: 'new:0:1', algorithm: 'x', digestHex: 'ee' },
    ];
    assert.deepEqual(diffManifests(expected, actual, 'shards'), { changed: ['w.bin'], added: ['new'], missing: ['keep'] });
  });

  it('refuses a statement whose subject digest does not match its resources, or lists a file twice', () => {
    const serialization = { method: 'files', hashType: 'sha256', allowSymlinks: false } as const;
    const resources = [
      { name: 'a', algorithm: 'sha256', digestHex: 'aa'.repeat(32) },
      { name: 'b', algorithm: 'sha256', digestHex: 'bb'.repeat(32) },
    ];
    const good = buildStatementPayload('m', serialization, resources);
    assert.deepEqual(parseStatementPayload(good).resources, resources);
    const inconsistent = Buffer.from(good.toString('utf8').replace('bb'.repeat(32), 'cc'.repeat(32)));
    assert.throws(() => parseStatementPayload(inconsistent), /manifest is inconsistent/);
    const twice = buildStatementPayload('m', serialization, [resources[0], resources[0]] as typeof resources);
    assert.throws(() => parseStatementPayload(twice), /listed twice/);
    const blake = Buffer.from(good.toString('utf8').replace('"hash_type": "sha256"', '"hash_type": "blake2"'));
    assert.throws(() => parseStatementPayload(blake), /unsupported hash_type/);
  });

  it('hashes an empty file as an empty shard only when the signature lists one', async () => {
    const model = join(work, 'empty-shard');
    await writeTree(model, { 'empty.bin': '', 'x.bin': 'x' });
    const listing = await walkModel(model, { ignorePaths: [], allowSymlinks: false });
    const serialization = { method: 'shards', hashType: 'sha256', allowSymlinks: false, shardSize: 8 } as const;
    const plain = await computeManifest(listing, serialization, { workers: 1 });
    assert.deepEqual(plain.resources.map((r) => r.name), ['x.bin:0:1']);
    const listed = await computeManifest(listing, serialization, { workers: 1, emptyShards: new Set(['empty.bin:0:0']) });
    assert.deepEqual(listed.resources.map((r) => r.name), ['empty.bin:0:0', 'x.bin:0:1']);
    assert.equal(listed.resources[0]?.digestHex, createHash('sha256').digest('hex'));
  });
});
