// Every check against our own failing and passing examples (test/fixtures/iac/<check>/fail*, pass*):
// a failing example must produce the check's finding at the right line; a passing one must not.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { IAC_RULES } from '../../../src/scanners/iac/index.js';
import { fixturesRoot, lineOf, scan } from './iac-test-helpers.js';
import type { ScanOptions } from './iac-test-helpers.js';

interface CheckCase {
  readonly options?: ScanOptions;
  /** Fail file → markers; one finding is expected at the line where each marker starts. */
  readonly fail: Readonly<Record<string, readonly string[]>>;
}

const CMK: ScanOptions = { requireCustomerManagedKeys: true };
const AUDIT: ScanOptions = { requireAuditLogging: true };

const CASES: Readonly<Record<string, CheckCase>> = {
  'storage-public-acl': {
    fail: {
      'fail.tf': ['acl    = "public-read"', 'container_access_type = "blob"', 'predefined_acl = "publicRead"'],
      'fail.cfn.yaml': ['AccessControl: PublicRead'],
    },
  },
  'storage-public-policy': {
    fail: {
      'fail.tf': ['policy = data.aws_iam_policy_document'],
      'fail-gcs.tf': ['member = "allUsers"'],
      'fail.cfn.json': ['"PolicyDocument"'],
    },
  },
  'storage-public-access-block': {
    fail: {
      'fail.tf': ['resource "aws_s3_bucket" "raw"', 'block_public_policy     = false'],
      'fail.cfn.yaml': ['Corpus:'],
    },
  },
  'storage-public-network': { fail: { 'fail.tf': ['resource "azurerm_storage_account" "lake"'] } },
  'encryption-at-rest-missing': {
    fail: {
      'fail.tf': ['resource "aws_ebs_volume"', 'storage_encrypted = false'],
      'fail.cfn.yaml': ['FeatureDb:', 'Encrypted: false'],
    },
  },
  'customer-managed-key-missing': {
    options: CMK,
    fail: { 'fail.tf': ['resource "aws_s3_bucket" "prompts"', 'resource "aws_ebs_volume"'] },
  },
  'sagemaker-direct-internet': {
    fail: {
      'fail.tf': ['resource "aws_sagemaker_notebook_instance"'],
      'fail-enabled.cfn.yaml': ['DirectInternetAccess: !Ref', 'Studio:'],
      'fail.plan.json': ['"direct_internet_access": "Enabled"'],
    },
  },
  'sagemaker-root-access': { fail: { 'fail.tf': ['root_access            = "Enabled"'] } },
  'sagemaker-no-kms': { fail: { 'fail.tf': ['resource "aws_sagemaker_notebook_instance"'] } },
  'sagemaker-no-vpc': { fail: { 'fail.tf': ['resource "aws_sagemaker_notebook_instance"'] } },
  'vertex-workbench-public-ip': { fail: { 'fail.tf': ['resource "google_workbench_instance"', 'no_public_ip = false'] } },
  'azureml-public-network': {
    fail: { 'fail.tf': ['resource "azurerm_machine_learning_workspace"', 'node_public_ip_enabled        = true'] },
  },
  'ingress-open-ai-port': {
    fail: {
      'fail.tf': ['ingress {\n    description = "dev tools"'],
      'fail-all-traffic.tf': ['resource "aws_vpc_security_group_ingress_rule"', 'resource "aws_security_group_rule" "ollama"'],
      'fail-gcp.tf': ['allow {'],
      'fail-azure.tf': ['security_rule {'],
      'fail.cfn.yaml': ['- IpProtocol: tcp'],
    },
  },
  'ingress-open-admin-port': { fail: { 'fail.tf': ['ingress {'] } },
  'jupyter-no-auth': {
    fail: {
      'fail.dockerfile': ['CMD jupyter lab'],
      'fail-exec.dockerfile': ['ENTRYPOINT'],
      'fail-k8s.yaml': ['args:'],
      'fail-compose.yml': ['command:'],
      'fail-env.yml': ['NOTEBOOK_ARGS'],
      'fail-start.sh': ['jupyter notebook'],
      'fail.jupyter_server_config.py': ["c.IdentityProvider.token = ''"],
      'fail-config.jupyter_server_config.json': ['"token"'],
      'fail-user-data.tf': ['user_data', 'on_start'],
      'fail-user-data.cfn.yaml': ['Fn::Base64'],
    },
  },
  'jupyter-listen-all': {
    fail: { 'fail.dockerfile': ['CMD'], 'fail.jupyter_server_config.py': ['c.ServerApp.ip'] },
  },
  'jupyter-allow-root': {
    fail: { 'fail.dockerfile': ['CMD'], 'fail.jupyter_lab_config.py': ['c.ServerApp.allow_root'] },
  },
  'jupyter-allow-origin-any': {
    fail: { 'fail.jupyter_notebook_config.py': ['c.NotebookApp.allow_origin'], 'fail.dockerfile': ['RUN echo'] },
  },
  'k8s-exposed-ai-service': { fail: { 'fail.yaml': ['type: LoadBalancer'], 'fail-helm.yaml': ['type: NodePort'] } },
  'container-privileged': { fail: { 'fail.yaml': ['privileged: true'], 'fail-compose.yml': ['privileged: true'] } },
  'container-runs-as-root': { fail: { 'fail.yaml': ['runAsUser: 0'], 'fail.dockerfile': ['USER root'] } },
  'container-host-namespace': { fail: { 'fail.yaml': ['hostNetwork: true'], 'fail-compose.yml': ['network_mode: host'] } },
  'plaintext-secret-env': {
    fail: { 'fail.yaml': ['- name: HF_TOKEN'], 'fail-compose.yml': ['POSTGRES_PASSWORD='], 'fail.dockerfile': ['ENV OPENAI_API_KEY'] },
  },
  'k8s-notebook-no-network-policy': { fail: { 'fail.yaml': ['apiVersion: kubeflow.org/v1'] } },
  'compose-ai-port-all-interfaces': { fail: { 'fail.yml': ['"8888:8888"', '"0.0.0.0:11434:11434"', '- target: 7860'] } },
  'audit-trail-missing': {
    options: AUDIT,
    fail: { 'fail.tf': ['resource "aws_s3_bucket"'], 'fail-disabled.tf': ['resource "aws_cloudtrail"'] },
  },
  'storage-access-logging-missing': { options: AUDIT, fail: { 'fail.tf': ['resource "aws_s3_bucket"'], 'fail.cfn.yaml': ['Datasets:'] } },
};

describe('iac checks: failing and passing examples', () => {
  it('has a fixture folder with both kinds of example for every rule, and a case for every failing file', () => {
    for (const id of IAC_RULES.keys()) {
      const check = id.replace(/^iac\//, '');
      const files = readdirSync(join(fixturesRoot, check));
      assert.ok(files.some((f) => f.startsWith('fail')), `${check} has a failing example`);
      assert.ok(files.some((f) => f.startsWith('pass')), `${check} has a passing example`);
      const listed = Object.keys(CASES[check]?.fail ?? {});
      assert.deepEqual(files.filter((f) => f.startsWith('fail')).sort(), [...listed].sort(), `${check}: every failing file has expectations`);
    }
  });

  for (const [check, testCase] of Object.entries(CASES)) {
    const ruleId = `iac/${check}`;
    const folder = join(fixturesRoot, check);
    describe(check, () => {
      for (const [file, markers] of Object.entries(testCase.fail)) {
        it(`reports ${file} at the expected lines`, async () => {
          const path = join(folder, file);
          const result = await scan([path], testCase.options);
          assert.deepEqual(result.unscannable, [], `${file} is fully readable`);
          const lines = result.findings.filter((f) => f.ruleId === ruleId).map((f) => f.location.line).sort((a, b) => (a ?? 0) - (b ?? 0));
          const expected = markers.map((m) => lineOf(path, m)).sort((a, b) => a - b);
          assert.deepEqual(lines, expected);
          for (const finding of result.findings.filter((f) => f.ruleId === ruleId)) {
            assert.equal(finding.location.path, file);
            assert.deepEqual(finding.controls, IAC_RULES.get(ruleId)?.controls);
            assert.ok((finding.remediation ?? '').length > 20, 'has a remediation with a snippet');
          }
        });
      }
      for (const file of readdirSync(folder).filter((f) => f.startsWith('pass'))) {
        it(`does not report ${file}`, async () => {
          const result = await scan([join(folder, file)], testCase.options);
          assert.deepEqual(result.unscannable, [], `${file} is fully readable`);
          assert.ok(result.scanned >= 1, `${file} was recognised as IaC`);
          const hits = result.findings.filter((f) => f.ruleId === ruleId);
          assert.deepEqual(hits.map((f) => `${f.location.line}: ${f.message}`), []);
        });
      }
    });
  }
});

describe('iac checks: severities that depend on what was found', () => {
  it('rates a world-open Ray or Jupyter port critical and a NodePort service medium', async () => {
    const open = await scan([join(fixturesRoot, 'ingress-open-ai-port', 'fail-azure.tf')]);
    assert.equal(open.findings.find((f) => f.ruleId === 'iac/ingress-open-ai-port')?.severity, 'critical');
    const nodePort = await scan([join(fixturesRoot, 'k8s-exposed-ai-service', 'fail-helm.yaml')]);
    assert.equal(nodePort.findings.find((f) => f.ruleId === 'iac/k8s-exposed-ai-service')?.severity, 'medium');
    const lb = await scan([join(fixturesRoot, 'k8s-exposed-ai-service', 'fail.yaml')]);
    assert.equal(lb.findings.find((f) => f.ruleId === 'iac/k8s-exposed-ai-service')?.severity, 'high');
  });

  it('raises a missing SageMaker KMS key from low to medium when the organisation requires customer-managed keys', async () => {
    const path = join(fixturesRoot, 'sagemaker-no-kms', 'fail.tf');
    const plain = await scan([path]);
    const strict = await scan([path], CMK);
    assert.equal(plain.findings.find((f) => f.ruleId === 'iac/sagemaker-no-kms')?.severity, 'low');
    assert.equal(strict.findings.find((f) => f.ruleId === 'iac/sagemaker-no-kms')?.severity, 'medium');
  });

  it('never shows the secret value of a plaintext credential', async () => {
    const result = await scan([join(fixturesRoot, 'plaintext-secret-env', 'fail.yaml')]);
    const finding = result.findings.find((f) => f.ruleId === 'iac/plaintext-secret-env');
    assert.ok(finding !== undefined);
    assert.doesNotMatch(JSON.stringify(finding), /hf_example_value/);
    assert.match(finding.evidence ?? '', /HF_TOKEN=<redacted, \d+ chars>/);
  });
});
