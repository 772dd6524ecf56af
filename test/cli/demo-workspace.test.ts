// The bundled demo as `npm start` shows it: the four planted problems of the workspace, the
// infrastructure code's exposures and the repository notebook's leaks, each tied to its control.
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_NOTEBOOK_PATH, demoNotebookText, ensureDemoNotebook } from '../../src/cli/demo/index.js';
import { examplesRoot } from '../helpers/paths.js';
import { runWarden } from '../helpers/run-cli.js';

interface JsonFinding {
  ruleId: string;
  severity: string;
  asset?: string;
  message: string;
  location: { path: string; line?: number };
}
interface JsonControl {
  controlId: string;
  asset?: string;
  status: string;
  severity?: string;
  reason: string;
}

describe('demo workspace', () => {
  let dir = '';
  let demo = '';
  let report: { findings: JsonFinding[]; controls: JsonControl[]; assets: { asset: string; answers: { question: string; answer: string }[] }[] };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'warden-demo-'));
    demo = join(dir, 'northwind-ai');
    await cp(join(examplesRoot, 'northwind-ai'), demo, { recursive: true, filter: (src) => !src.includes('.warden') && !src.endsWith('.ipynb') });
    const written = await ensureDemoNotebook(demo);
    assert.equal(written, join(demo, DEMO_NOTEBOOK_PATH));
    const r = await runWarden(['assess', demo, '--format', 'json', '--no-store', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    report = JSON.parse(r.stdout);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  const control = (id: string, asset: string): JsonControl | undefined => report.controls.find((c) => c.controlId === id && c.asset === asset);

  it('reports the four planted problems with their controls', () => {
    assert.equal(control('WD-INFRA-04', 'research-notebooks')?.severity, 'critical', 'notebook server open to the internet without authentication');
    assert.match(control('WD-DATA-03', 'mercy-patient-records')?.reason ?? '', /unencrypted/);
    assert.match(control('WD-DATA-02', 'cascade-purchase-histories')?.reason ?? '', /everyone/);
    assert.equal(control('WD-DATA-04', 'fraud-churn-model')?.status, 'fail', 'model trained on two clients\' data');
    const blast = report.assets.find((a) => a.asset === 'research-notebooks')?.answers.find((a) => a.question === 'blast-radius');
    assert.match(blast?.answer ?? '', /mercy-health/);
  });

  it('reports the Terraform and compose exposures of the ml-platform repository', () => {
    const iac = report.findings.filter((f) => f.ruleId.startsWith('iac/') && f.asset === 'ml-platform-repo');
    const rules = new Set(iac.map((f) => f.ruleId));
    for (const rule of ['iac/jupyter-no-auth', 'iac/ingress-open-ai-port', 'iac/sagemaker-direct-internet', 'iac/compose-ai-port-all-interfaces', 'iac/storage-public-access-block']) {
      assert.ok(rules.has(rule), `${rule} in ${[...rules].join(', ')}`);
    }
    const open = iac.find((f) => f.ruleId === 'iac/ingress-open-ai-port');
    assert.equal(open?.location.path, 'repos/ml-platform/infra/terraform/main.tf', 'paths are relative to the workspace');
    assert.equal(typeof open?.location.line, 'number');
    // The MLflow rule open to the VPN only and the loopback-bound compose service are not findings.
    assert.equal(iac.some((f) => /5000/.test(f.message)), false);
    assert.equal(control('WD-INFRA-02', 'ml-platform-repo')?.status, 'fail');
    // The firewall tagged warden-asset = research-notebooks is evidence about that server too.
    const server = control('WD-INFRA-02', 'research-notebooks');
    assert.equal(server?.status, 'fail', server?.reason);
    assert.match(server?.reason ?? '', /iac\/ingress-open-ai-port/);
  });

  it('reports the notebook\'s leaked key and patient data, masked, against secrets and classification controls', async () => {
    const leaks = report.findings.filter((f) => f.asset === 'ml-platform-repo' && f.location.path.includes('readmission-eda.ipynb'));
    const rules = new Set(leaks.map((f) => f.ruleId));
    for (const rule of ['secrets/openai-project-key', 'secrets/database-uri-password', 'secrets/pii-us-ssn', 'secrets/pii-medical-record-number', 'secrets/pii-icd10-code']) {
      assert.ok(rules.has(rule), `${rule} in ${[...rules].join(', ')}`);
    }
    const notebook = await readFile(join(demo, DEMO_NOTEBOOK_PATH), 'utf8');
    const key = /sk-proj-[A-Za-z0-9_-]+/.exec(notebook)?.[0] ?? '';
    assert.ok(key.length > 40);
    assert.equal(JSON.stringify(report).includes(key), false, 'the key never appears unmasked in the report');
    assert.equal(control('WD-INFRA-05', 'ml-platform-repo')?.status, 'fail');
    assert.match(control('WD-DATA-01', 'ml-platform-repo')?.reason ?? '', /pii-/);
    // The pipeline's code reads its credentials from the environment: nothing to report there.
    assert.equal(report.findings.some((f) => f.asset === 'feature-pipeline' && f.ruleId.startsWith('secrets/')), false);
  });

  it('makes fresh credentials for every notebook it writes and never overwrites one', async () => {
    const key = (text: string): string => /sk-proj-[A-Za-z0-9_-]+/.exec(text)?.[0] ?? '';
    assert.notEqual(key(demoNotebookText()), key(demoNotebookText()));
    const before = await readFile(join(demo, DEMO_NOTEBOOK_PATH), 'utf8');
    assert.equal(await ensureDemoNotebook(demo), undefined);
    assert.equal(await readFile(join(demo, DEMO_NOTEBOOK_PATH), 'utf8'), before);
  });
});
