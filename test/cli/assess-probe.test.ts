// `warden assess --probe`: live probe results become evidence for the controls of the declared
// endpoints, so a registry declared "sso" that answers anyone is caught. Without --probe not one
// request is sent. Stand-in servers on 127.0.0.1 reproduce the services' documented endpoints.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startStandIn } from '../fixtures/probe/stand-in-servers.js';
import type { RunningServer } from '../fixtures/probe/stand-in-servers.js';
import { runWarden } from '../helpers/run-cli.js';

interface Report {
  findings: { ruleId: string; asset?: string; severity: string }[];
  controls: { controlId: string; asset?: string; status: string; reason: string; evidence: { kind: string; summary: string }[] }[];
  scanners: { scanner: string; asset: string }[];
  assets: { asset: string; answers: { question: string; answer: string; verdict: string }[] }[];
}

function workspaceYaml(mlflow: RunningServer, locked: RunningServer): string {
  return `version: 1
organisation: { name: Probe Assess ${process.pid}-${Date.now()}, headcount: 6, regimes: [soc2] }
people:
  - { id: ana, name: Ana, email: ana@probe.example, roles: [security-lead, ml-engineer] }
  - { id: ben, name: Ben, email: ben@probe.example, roles: [ml-engineer] }
assets:
  - id: tracking
    name: MLflow tracking server (declared as behind SSO)
    kind: model-registry
    owner: ana
    location: ${mlflow.hostPort}
    controls: { exposure: private, authentication: sso, tls: true, rate_limit: true, access: [ana, ben], access_logging: true, hardening: cis-level-1, encryption: { at_rest: true, in_transit: true } }
  - id: tracking-locked
    name: MLflow behind a password
    kind: model-registry
    owner: ana
    location: ${locked.hostPort}
    controls: { exposure: private, authentication: sso, tls: true, rate_limit: true, access: [ana, ben], access_logging: true, hardening: cis-level-1, encryption: { at_rest: true, in_transit: true } }
`;
}

describe('warden assess --probe', () => {
  let dir = '';
  let open: RunningServer;
  let locked: RunningServer;
  before(async () => {
    [open, locked] = await Promise.all([startStandIn('mlflow', { version: '2.9.2' }), startStandIn('mlflow', { auth: true })]);
    dir = await mkdtemp(join(tmpdir(), 'warden-assess-probe-'));
    await writeFile(join(dir, 'warden.yaml'), workspaceYaml(open, locked));
  });
  after(async () => {
    await Promise.all([open?.close(), locked?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('sends nothing without --probe and judges the declarations alone', async () => {
    const r = await runWarden(['assess', dir, '--format', 'json', '--no-store', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(open.requests.length + locked.requests.length, 0, 'no traffic without --probe');
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.findings.some((f) => f.ruleId.startsWith('probe/')), false);
    assert.equal(report.controls.find((c) => c.controlId === 'WD-INFRA-03' && c.asset === 'tracking')?.status, 'pass');
  });

  it('with --probe, an endpoint that answers without credentials fails API security and model access', async () => {
    const r = await runWarden(['assess', dir, '--probe', '--format', 'json', '--no-store', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(open.requests.length > 0 && locked.requests.length > 0, 'both declared endpoints were probed');
    for (const req of [...open.requests, ...locked.requests]) assert.match(req.method, /^(GET|HEAD|OPTIONS)$/, 'read-only requests only');
    const report = JSON.parse(r.stdout) as Report;
    const unauth = report.findings.find((f) => f.ruleId === 'probe/mlflow-unauthenticated');
    assert.equal(unauth?.asset, 'tracking');
    assert.equal(report.findings.some((f) => f.ruleId === 'probe/mlflow-unauthenticated' && f.asset === 'tracking-locked'), false);
    for (const id of ['WD-INFRA-03', 'WD-MODEL-01']) {
      const result = report.controls.find((c) => c.controlId === id && c.asset === 'tracking');
      assert.equal(result?.status, 'fail', `${id}: ${result?.reason}`);
      assert.match(result?.reason ?? '', /probe/);
      assert.ok(result?.evidence.some((e) => e.kind === 'probe'));
    }
    const access = report.assets.find((a) => a.asset === 'tracking')?.answers.find((a) => a.question === 'access');
    assert.match(access?.answer ?? '', /answered without credentials \(probe\/mlflow-unauthenticated\)/);
    assert.equal(access?.verdict, 'bad');
    const lockedAccess = report.assets.find((a) => a.asset === 'tracking-locked')?.answers.find((a) => a.question === 'access');
    assert.doesNotMatch(lockedAccess?.answer ?? '', /without credentials/);
    const lockedApi = report.controls.find((c) => c.controlId === 'WD-INFRA-03' && c.asset === 'tracking-locked');
    assert.notEqual(lockedApi?.status, 'fail', lockedApi?.reason);
  });
});
