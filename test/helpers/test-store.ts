/**
 * Running store tests once per database dialect, and building assessment results to store.
 *
 * SQLite always runs, on a real file in a temporary folder. PostgreSQL runs when
 * WARDEN_TEST_POSTGRES_URL names a server where the user may CREATE DATABASE (e.g.
 * postgres://postgres@127.0.0.1:5432/postgres); every fixture database is a throwaway
 * `warden_test_<random>` dropped after the suite, so test files running in parallel never share
 * data. With CI=true a missing WARDEN_TEST_POSTGRES_URL fails the run instead of skipping, so CI
 * can never go green without having tested PostgreSQL.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import type { AssessmentResult, ControlResult, ControlStatus, Finding, PillarScore, Severity } from '../../src/domain/index.js';
import { PILLARS, SEVERITIES } from '../../src/domain/index.js';
import { createFinding } from '../../src/scanners/index.js';
import { openStore } from '../../src/store/index.js';
import type { Store, StoreDialect, StoreOptions } from '../../src/store/index.js';

export const TEST_POSTGRES_URL_ENV = 'WARDEN_TEST_POSTGRES_URL';

export interface DialectFixture {
  readonly dialect: StoreDialect;
  /** Options naming a new, empty database of this dialect (its own file or its own database). */
  newOptions(): Promise<StoreOptions>;
  /** Opens a store on a new, empty database; it is closed after the suite. */
  openFresh(): Promise<Store>;
  /** Opens a store on existing options; it is closed after the suite (closing it earlier is fine). */
  open(options: StoreOptions): Promise<Store>;
}

/** Declares `describe(`${title} [dialect]`)` for every dialect and runs `body` inside each. */
export function forEachDialect(title: string, body: (fixture: DialectFixture) => void): void {
  describe(`${title} [sqlite]`, () => body(sqliteFixture()));

  const adminUrl = process.env[TEST_POSTGRES_URL_ENV]?.trim();
  if (adminUrl === undefined || adminUrl === '') {
    describe(`${title} [postgres]`, () => {
      if (process.env.CI === 'true') {
        it('runs against PostgreSQL', () => {
          assert.fail(`CI=true but ${TEST_POSTGRES_URL_ENV} is not set: the PostgreSQL store tests must run in CI (.ci/run starts a server)`);
        });
      } else {
        it('runs against PostgreSQL', {
          skip: `PostgreSQL store tests skipped: set ${TEST_POSTGRES_URL_ENV}=postgres://user@127.0.0.1:PORT/postgres to run them`,
        }, () => undefined);
      }
    });
    return;
  }
  describe(`${title} [postgres]`, () => body(postgresFixture(adminUrl)));
}

function trackStores(): { open(options: StoreOptions): Promise<Store>; closeAll(): Promise<void> } {
  const stores: Store[] = [];
  return {
    async open(options) {
      const store = await openStore(options);
      stores.push(store);
      return store;
    },
    async closeAll() {
      for (const store of stores.splice(0)) await store.close();
    },
  };
}

function sqliteFixture(): DialectFixture {
  const tracked = trackStores();
  let root: string | undefined;
  let counter = 0;
  after(async () => {
    await tracked.closeAll();
    if (root !== undefined) await rm(root, { recursive: true, force: true });
  });
  const newOptions = async (): Promise<StoreOptions> => {
    root ??= await mkdtemp(join(tmpdir(), 'warden-store-test-'));
    counter += 1;
    // A folder that does not exist yet, as in a fresh workspace (`.warden/` is created on open).
    return { sqlitePath: join(root, `ws-${counter}`, '.warden', 'warden.db') };
  };
  return {
    dialect: 'sqlite',
    newOptions,
    open: (options) => tracked.open(options),
    openFresh: async () => tracked.open(await newOptions()),
  };
}

function postgresFixture(adminUrl: string): DialectFixture {
  const tracked = trackStores();
  const databases: string[] = [];
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  after(async () => {
    await tracked.closeAll();
    if (databases.length === 0) return;
    await admin(async (client) => {
      // FORCE (PostgreSQL 13+) ends sessions a failed test may have left open.
      for (const name of databases.splice(0)) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    });
  });
  const newOptions = async (): Promise<StoreOptions> => {
    const name = `warden_test_${randomBytes(6).toString('hex')}`;
    await admin((client) => client.query(`CREATE DATABASE "${name}"`));
    databases.push(name);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return { url: url.href };
  };
  return {
    dialect: 'postgres',
    newOptions,
    open: (options) => tracked.open(options),
    openFresh: async () => tracked.open(await newOptions()),
  };
}

export interface ResultSpec {
  readonly id?: string;
  readonly createdAt?: string;
  readonly workspaceName?: string;
  readonly controls?: readonly ControlResult[];
  readonly findings?: readonly Finding[];
  readonly pillars?: readonly PillarScore[];
  readonly score?: number;
}

/** A complete, internally consistent AssessmentResult; summary counts are derived from the controls. */
export function buildAssessmentResult(spec: ResultSpec = {}): AssessmentResult {
  const controls = spec.controls ?? [];
  const findings = spec.findings ?? [];
  const tally = (status: ControlStatus) => controls.filter((c) => c.status === status).length;
  const gapsBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const c of controls) if ((c.status === 'fail' || c.status === 'partial') && c.severity) gapsBySeverity[c.severity] += 1;
  const pillars = spec.pillars ?? PILLARS.map((pillar) => ({ pillar, score: 50, passed: 1, failed: 1, partial: 0, pending: 0 }));
  return {
    schemaVersion: 1,
    id: spec.id ?? randomBytes(16).toString('hex'),
    createdAt: spec.createdAt ?? new Date().toISOString(),
    workspace: { name: spec.workspaceName ?? 'acme', dir: '/srv/acme', digest: 'sha256:0f0e', sizeProfile: 'mid', headcount: 40 },
    summary: {
      assets: 3,
      controlsEvaluated: controls.length,
      passed: tally('pass'),
      failed: tally('fail'),
      partial: tally('partial'),
      pending: tally('needs-attestation') + tally('needs-evidence'),
      gapsBySeverity,
      score: spec.score ?? 61.5,
    },
    pillars,
    assets: [],
    controls,
    gaps: [],
    roadmap: [],
    scanners: [{ scanner: 'secrets', inputs: ['src'], findings: findings.length, unscannable: [], durationMs: 12 }],
    findings,
  };
}

export function control(controlId: string, status: ControlStatus, asset?: string, severity: Severity = 'high'): ControlResult {
  return {
    controlId,
    status,
    reason: `${controlId} is ${status}`,
    evidence: [{ kind: 'workspace', summary: 'declared', ref: 'warden.yaml#assets[0]' }],
    ...(asset !== undefined && { asset }),
    ...((status === 'fail' || status === 'partial') && { severity }),
  };
}

export function finding(key: string, severity: Severity = 'high', extra: { path?: string; line?: number; message?: string } = {}): Finding {
  return createFinding({
    ruleId: 'secrets/generic-api-key',
    severity,
    message: extra.message ?? `API key ${key} in source`,
    location: { path: extra.path ?? `src/${key}.py`, ...(extra.line !== undefined && { line: extra.line }) },
    source: 'secrets',
    asset: 'training-data',
    key,
  });
}

/** Many controls and findings, for batch tests and measurements. */
export function buildLargeResult(controlCount: number, findingCount: number, id?: string): AssessmentResult {
  const statuses: readonly ControlStatus[] = ['pass', 'fail', 'partial', 'needs-evidence'];
  const controls: ControlResult[] = [];
  for (let i = 0; i < controlCount; i++) controls.push(control(`WD-DATA-${String(i % 100).padStart(2, '0')}`, statuses[i % 4]!, `asset-${i}`));
  const findings: Finding[] = [];
  for (let i = 0; i < findingCount; i++) findings.push(finding(`k${i}`, SEVERITIES[i % 5]!, { line: i + 1 }));
  return buildAssessmentResult({ controls, findings, ...(id !== undefined && { id }) });
}
