// The demo workspace's four planted problems must be reported, each tied to its controls,
// its evidence and its blast radius, and ranked among the riskiest gaps.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { AssessmentResult, ControlResult } from '../../src/domain/index.js';
import { assess } from '../../src/engine/index.js';
import { loadWorkspace } from '../../src/workspace/index.js';
import { examplesRoot } from '../helpers/paths.js';

const NOW = new Date('2026-11-25T12:00:00Z');

function result(r: AssessmentResult, control: string, asset: string): ControlResult {
  const found = r.controls.find((c) => c.controlId === control && c.asset === asset);
  assert.ok(found, `${control} evaluated on ${asset}`);
  return found;
}

describe('one-day assessment of the Northwind AI demo', () => {
  let r: AssessmentResult;
  before(async () => {
    r = await assess(await loadWorkspace(join(examplesRoot, 'northwind-ai')), { now: NOW });
  });

  it('reports the internet-exposed notebook server without authentication as critical', () => {
    const c = result(r, 'WD-INFRA-04', 'research-notebooks');
    assert.equal(c.status, 'fail');
    assert.equal(c.severity, 'critical');
    assert.match(c.reason, /internet without authentication/);
    assert.ok(c.evidence.some((e) => e.ref?.includes('controls.exposure')));
    const asset = r.assets.find((a) => a.asset === 'research-notebooks');
    assert.ok(asset);
    // It reads the patient data: its blast radius is Mercy's restricted PHI, counted once.
    assert.deepEqual(asset.blastRadius.clients, ['mercy-health']);
    assert.equal(asset.blastRadius.records, 1_200_000);
    assert.equal(asset.blastRadius.highestClassification, 'restricted');
    assert.ok(asset.blastRadius.notifications.some((n) => n.regime === 'hipaa' && n.deadlineHours === 60 * 24));
    assert.equal(asset.blastRadius.notifications[0]?.regime, 'contract', 'the 48-hour contract duty comes first');
    const access = asset.answers.find((a) => a.question === 'access');
    assert.equal(access?.verdict, 'bad');
    assert.match(access?.answer ?? '', /anyone on the internet/);
  });

  it('reports the restricted patient dataset stored unencrypted as critical', () => {
    const c = result(r, 'WD-DATA-03', 'mercy-patient-records');
    assert.equal(c.status, 'fail');
    assert.equal(c.severity, 'critical');
    assert.match(c.reason, /restricted data \(1,200,000 records\) is stored unencrypted/);
    const asset = r.assets.find((a) => a.asset === 'mercy-patient-records');
    assert.equal(asset?.answers.find((a) => a.question === 'encryption')?.verdict, 'bad');
    // Compromise reaches everything built on it.
    assert.ok(asset?.blastRadius.downstream.includes('mercy-readmission-model'));
  });

  it('reports the dataset whose access list is everyone', () => {
    const c = result(r, 'WD-DATA-02', 'cascade-purchase-histories');
    assert.equal(c.status, 'fail');
    assert.equal(c.severity, 'high');
    assert.match(c.reason, /everyone \(10 people\)/);
    const asset = r.assets.find((a) => a.asset === 'cascade-purchase-histories');
    assert.match(asset?.answers.find((a) => a.question === 'access')?.answer ?? '', /Everyone in the organisation/);
    assert.ok(asset?.blastRadius.notifications.some((n) => n.regime === 'gdpr' && n.deadlineHours === 72));
  });

  it('reports the model trained on two clients\' data', () => {
    const c = result(r, 'WD-DATA-04', 'fraud-churn-model');
    assert.equal(c.status, 'fail');
    assert.match(c.reason, /trained on data of 2 clients \(cascade-outfitters, ledgerline\)/);
    const asset = r.assets.find((a) => a.asset === 'fraud-churn-model');
    assert.deepEqual(asset?.blastRadius.clients, ['cascade-outfitters', 'ledgerline']);
    assert.equal(asset?.blastRadius.records, 48_000_000 + 6_300_000);
  });

  it('ranks exposed dev environments, unencrypted sensitive data and broad access first', () => {
    const top = r.gaps.slice(0, 5).map((g) => `${g.controlId}@${g.asset}`);
    assert.equal(top[0], 'WD-INFRA-04@research-notebooks');
    assert.equal(top[1], 'WD-DATA-03@mercy-patient-records');
    assert.ok(top.includes('WD-DATA-02@cascade-purchase-histories'), top.join());
    const fraud = r.gaps.find((g) => g.controlId === 'WD-DATA-04' && g.asset === 'fraud-churn-model');
    assert.ok(fraud && fraud.rank <= 10, `cross-client model ranked ${fraud?.rank}`);
    assert.deepEqual(r.gaps.map((g) => g.rank), r.gaps.map((_, i) => i + 1));
  });

  it('lists every gap as a finding in the shared shape, pointing at the asset in warden.yaml', () => {
    const f = r.findings.find((x) => x.ruleId === 'control/WD-INFRA-04' && x.asset === 'research-notebooks');
    assert.ok(f);
    assert.equal(f.severity, 'critical');
    assert.equal(f.location.path, 'warden.yaml');
    assert.ok((f.location.line ?? 0) > 1);
    assert.deepEqual(f.controls, ['WD-INFRA-04']);
    assert.equal(r.findings.filter((x) => x.source === 'assessment').length, r.gaps.length);
  });

  it('answers all five questions for every asset and scores every pillar', () => {
    for (const a of r.assets) {
      assert.deepEqual(a.answers.map((q) => q.question), ['access', 'encryption', 'logging', 'hardening', 'blast-radius']);
    }
    assert.equal(r.pillars.length, 5);
    for (const p of r.pillars) assert.ok(p.score >= 0 && p.score <= 100);
    assert.ok(r.summary.score > 0 && r.summary.score < 100);
  });

  it('plans the roadmap by month for a mid-sized organisation, with what is done and left', () => {
    assert.equal(r.workspace.sizeProfile, 'mid');
    assert.deepEqual(r.roadmap.map((m) => m.month), ['1', '2', '3', '4-6']);
    const month1 = r.roadmap[0];
    assert.ok(month1 && month1.items.some((i) => i.controlId === 'WD-INFRA-04' && !i.done));
    assert.ok(r.roadmap.flatMap((m) => m.items).some((i) => i.done), 'something is already done');
  });

  it('asks for a renewed attestation once the interval has passed', () => {
    const ir = r.controls.find((c) => c.controlId === 'WD-PEOPLE-04');
    assert.equal(ir?.status, 'needs-attestation');
    assert.match(ir?.reason ?? '', /2025-09-30 is \d+ days old/);
    const reviews = r.controls.find((c) => c.controlId === 'WD-PEOPLE-03');
    assert.equal(reviews?.status, 'pass');
  });

  it('flags people whose training expired', () => {
    const t = r.controls.find((c) => c.controlId === 'WD-PEOPLE-02');
    assert.equal(t?.status, 'fail');
    assert.match(t?.reason ?? '', /omar/);
  });
});
