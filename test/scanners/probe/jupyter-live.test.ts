// The probe against a real Jupyter server (Debian package `jupyter-notebook`): without a token it
// must be reported critical, with a token it must not. The servers bind to 127.0.0.1 only.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Workspace } from '../../../src/domain/index.js';
import { createProbeScanner } from '../../../src/scanners/probe/index.js';
import { JUPYTER_DEBIAN_PACKAGE, jupyterVersion, startJupyter } from '../../fixtures/probe/jupyter-server.js';
import type { RunningJupyter } from '../../fixtures/probe/jupyter-server.js';

function workspaceWith(assets: { id: string; location: string }[]): Workspace {
  return {
    version: 1,
    organisation: { name: 'Probe Test', headcount: 5, regimes: [] },
    clients: [],
    people: [],
    assets: assets.map((a) => ({ id: a.id, kind: 'notebook-server', owner: 'ops', location: a.location })),
    attestations: [],
    exceptions: [],
  };
}

const version = await jupyterVersion();
const missing = version === undefined;

describe('probe against a real Jupyter server', () => {
  if (missing && process.env['CI'] === 'true') {
    it('has jupyter installed', () => {
      assert.fail(`CI=true but the jupyter binary is missing: .ci/run must install the Debian package ${JUPYTER_DEBIAN_PACKAGE}`);
    });
    return;
  }
  if (missing) {
    it('runs against jupyter', { skip: `jupyter not installed: apt-get install -y ${JUPYTER_DEBIAN_PACKAGE} to run the live Jupyter probe tests` }, () => undefined);
    return;
  }

  let open: RunningJupyter;
  let locked: RunningJupyter;
  before(async () => {
    [open, locked] = await Promise.all([startJupyter(version, ''), startJupyter(version, 'probe-test-token-7f3a9c')]);
  });
  after(async () => {
    await Promise.all([open?.stop(), locked?.stop()]);
  });

  it('reports a Jupyter server without a token as critical, through the scanner and the workspace scope', async () => {
    const workspace = workspaceWith([{ id: 'open-notebook', location: open.hostPort }]);
    const scanner = createProbeScanner({ enabled: true });
    const asset = workspace.assets[0];
    assert.ok(asset !== undefined);
    const target = scanner.targetFor(asset, '/tmp');
    assert.deepEqual(target?.inputs, [open.hostPort]);
    const result = await scanner.scan({ ...(target as NonNullable<typeof target>), asset: 'open-notebook' }, { workspace, options: {} });
    const unauth = result.findings.find((f) => f.ruleId === 'probe/jupyter-unauthenticated');
    assert.ok(unauth, `expected probe/jupyter-unauthenticated, got ${result.findings.map((f) => f.ruleId).join(', ')}`);
    assert.equal(unauth.severity, 'critical');
    assert.equal(unauth.asset, 'open-notebook');
    assert.equal(unauth.location.url, `http://${open.hostPort}/`);
    assert.equal(unauth.location.path, unauth.location.url);
    assert.deepEqual(unauth.controls, ['WD-INFRA-04']);
    const detected = result.findings.find((f) => f.ruleId === 'probe/service-detected');
    assert.equal(detected?.properties?.['version'], version);
    assert.equal(result.unscannable.length, 0);
    assert.ok((result.stats?.['requests'] ?? 99) <= 30);
  });

  it('does not report a Jupyter server that requires a token', async () => {
    const workspace = workspaceWith([{ id: 'locked-notebook', location: locked.hostPort }]);
    const scanner = createProbeScanner({ enabled: true });
    const result = await scanner.scan({ root: '/tmp', inputs: [locked.hostPort], asset: 'locked-notebook' }, { workspace, options: {} });
    const ids = result.findings.map((f) => f.ruleId);
    assert.ok(!ids.includes('probe/jupyter-unauthenticated'), ids.join(', '));
    assert.ok(!ids.includes('probe/jupyter-terminals-exposed'), ids.join(', '));
    assert.ok(!result.findings.some((f) => f.severity === 'critical'));
    const detected = result.findings.find((f) => f.ruleId === 'probe/service-detected');
    assert.match(detected?.message ?? '', /credentials required: yes/);
  });

  it('is not planned in an assessment unless the probe is enabled', () => {
    const workspace = workspaceWith([{ id: 'nb', location: open.hostPort }]);
    const asset = workspace.assets[0];
    assert.ok(asset !== undefined);
    assert.equal(createProbeScanner({ enabled: false }).targetFor(asset, '/tmp'), undefined);
  });
});
