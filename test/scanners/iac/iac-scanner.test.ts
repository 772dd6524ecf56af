// The iac scanner as a whole: which assets it scans, how it detects formats by content, what it
// reports as unscannable, how the workspace policy switches checks on, and finding invariants.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { severityRank } from '../../../src/domain/index.js';
import type { Asset } from '../../../src/domain/index.js';
import { IAC_RULES, iacScanner } from '../../../src/scanners/iac/index.js';
import { fixturesRoot, scan, workspaceWith } from './iac-test-helpers.js';

let dir: string;
function write(relative: string, content: string | Buffer): string {
  const path = join(dir, relative);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'warden-iac-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

const asset = (kind: Asset['kind'], location?: string): Asset => ({ id: 'a1', kind, owner: 'ops', ...(location !== undefined && { location }) });

describe('iac scanner: targets', () => {
  it('scans local paths of code, notebook, training, pipeline, storage, endpoint and registry assets', () => {
    const target = iacScanner.targetFor(asset('notebook-server', 'infra/notebooks'), '/ws');
    assert.deepEqual(target, { root: '/ws', inputs: ['/ws/infra/notebooks'], asset: 'a1' });
    for (const kind of ['code-repository', 'training-environment', 'pipeline', 'storage', 'inference-endpoint', 'model-registry'] as const) {
      assert.ok(iacScanner.targetFor(asset(kind, 'infra'), '/ws') !== undefined, kind);
    }
  });

  it('skips URIs, host:port locations, assets without a location and kinds that hold no IaC', () => {
    for (const location of ['s3://bucket/prefix', 'https://mlflow.example.org', 'gs://b', 'notebook.internal:8888', '10.0.0.5:8265', '[::1]:8888']) {
      assert.equal(iacScanner.targetFor(asset('notebook-server', location), '/ws'), undefined, location);
    }
    assert.equal(iacScanner.targetFor(asset('notebook-server'), '/ws'), undefined);
    assert.equal(iacScanner.targetFor(asset('dataset', 'data/'), '/ws'), undefined);
    assert.equal(iacScanner.targetFor(asset('model', 'models/'), '/ws'), undefined);
  });

  it('declares its name, evidence kind, rules and policy options', () => {
    assert.equal(iacScanner.name, 'iac');
    assert.equal(iacScanner.evidenceKind, 'scan:iac');
    assert.equal(iacScanner.rules.length, IAC_RULES.size);
    assert.ok(iacScanner.rules.every((r) => r.id.startsWith('iac/') && (r.controls?.length ?? 0) > 0 && (r.remediation ?? '').includes('\n')));
    assert.deepEqual(iacScanner.options?.map((o) => o.flags), ['--require-customer-managed-keys', '--require-audit-logging']);
  });
});

describe('iac scanner: formats are detected by content', () => {
  it('reads Terraform without an extension, .tf.json, a CloudFormation .template, a JSON manifest and Dockerfile.gpu', async () => {
    const root = join(dir, 'detect');
    write('detect/notebook', 'resource "aws_sagemaker_notebook_instance" "nb" {\n  name = "nb"\n}\n');
    write('detect/main.tf.json', JSON.stringify({ resource: { aws_security_group: { jup: { ingress: [{ from_port: 8888, to_port: 8888, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }] } } } }, null, 2));
    write('detect/stack.template', 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Vol:\n    Type: AWS::EC2::Volume\n    Properties:\n      Size: 10\n');
    write('detect/pod.json', JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { hostNetwork: true, containers: [{ name: 'c', image: 'x' }] } }));
    write('detect/Dockerfile.gpu', 'FROM python:3.11\nCMD ["jupyter", "lab", "--ServerApp.token="]\n');
    write('detect/.github/workflows/ci.yaml', 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n');
    write('detect/README.md', 'resource "aws_s3_bucket" "not-read" {}\n');
    const result = await iacScanner.scan({ root, inputs: [root] }, { options: {} });
    const rules = new Map(result.findings.map((f) => [`${f.location.path}|${f.ruleId}`, f.location.line]));
    assert.equal(rules.get('notebook|iac/sagemaker-direct-internet'), 1);
    assert.equal(rules.get('main.tf.json|iac/ingress-open-ai-port'), 6, 'the line of the ingress rule object');
    assert.equal(rules.get('stack.template|iac/encryption-at-rest-missing'), 3);
    assert.ok(rules.has('pod.json|iac/container-host-namespace'));
    assert.equal(rules.get('Dockerfile.gpu|iac/jupyter-no-auth'), 2);
    assert.equal(result.scanned, 5, 'the workflow and README are not IaC');
    assert.deepEqual(result.unscannable, []);
  });

  it('names the bucket and the warden-asset tag a finding is about, so the assessment can tie it to an asset', async () => {
    const root = join(dir, 'links');
    write(
      'links/main.tf',
      [
        'resource "aws_s3_bucket" "raw" {',
        '  bucket = "nw-raw"',
        '  tags   = { "warden-asset" = "raw-records" }',
        '}',
        'resource "google_storage_bucket" "eu" {',
        '  name     = "nw-eu"',
        '  location = "EU"',
        '}',
        'resource "aws_security_group" "nb" {',
        '  tags = { team = "research" }',
        '  ingress {',
        '    from_port   = 8888',
        '    to_port     = 8888',
        '    protocol    = "tcp"',
        '    cidr_blocks = ["0.0.0.0/0"]',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    write(
      'links/stack.yaml',
      'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Data:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: cf-data\n      Tags:\n        - { Key: warden-asset, Value: cf-asset }\n',
    );
    write(
      'links/compose.yaml',
      'services:\n  nb:\n    image: jupyter/base-notebook\n    command: start-notebook.py --NotebookApp.token=\'\'\n    ports: ["8888:8888"]\n    labels: { warden-asset: compose-nb }\n  ray:\n    image: rayproject/ray\n    ports: ["8265:8265"]\n    labels: ["warden-asset=compose-ray"]\n',
    );
    write(
      'links/pod.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: trainer\n  annotations: { warden-asset: k8s-trainer }\nspec:\n  hostNetwork: true\n  containers: [{ name: c, image: x }]\n',
    );
    const result = await iacScanner.scan({ root, inputs: [root] }, { options: {} });
    const props = (resource: string) => result.findings.find((f) => f.properties?.['resource'] === resource)?.properties;
    const tagOf = (rule: string) => result.findings.filter((f) => f.ruleId === rule).map((f) => f.properties?.['assetTag']).sort();
    assert.deepEqual(tagOf('iac/jupyter-no-auth'), ['compose-nb']);
    assert.deepEqual(tagOf('iac/compose-ai-port-all-interfaces'), ['compose-nb', 'compose-ray']);
    assert.deepEqual(tagOf('iac/container-host-namespace'), ['k8s-trainer']);
    assert.equal(props('aws_s3_bucket.raw')?.['storageName'], 'nw-raw');
    assert.equal(props('aws_s3_bucket.raw')?.['assetTag'], 'raw-records');
    assert.equal(props('Data')?.['storageName'], 'cf-data');
    assert.equal(props('Data')?.['assetTag'], 'cf-asset');
    assert.equal(props('aws_security_group.nb')?.['assetTag'], undefined, 'only the warden-asset key counts');
    assert.equal(props('aws_security_group.nb')?.['storageName'], undefined);
  });

  it('resolves variable defaults and locals across the files of a module, reporting at the place of use', async () => {
    const root = join(dir, 'vars');
    write('vars/variables.tf', 'variable "access" {\n  default = "Enabled"\n}\nlocals {\n  open = var.world\n}\nvariable "world" {\n  default = ["0.0.0.0/0"]\n}\n');
    write('vars/main.tf', 'resource "aws_sagemaker_notebook_instance" "nb" {\n  name = "nb"\n  direct_internet_access = var.access\n}\nresource "aws_security_group_rule" "r" {\n  type = "ingress"\n  from_port = 8265\n  to_port = 8265\n  protocol = "tcp"\n  cidr_blocks = local.open\n}\n');
    const result = await iacScanner.scan({ root, inputs: [root] }, { options: {} });
    const internet = result.findings.find((f) => f.ruleId === 'iac/sagemaker-direct-internet');
    assert.deepEqual([internet?.location.path, internet?.location.line], ['main.tf', 3]);
    assert.match(internet?.message ?? '', /= "Enabled"/);
    const ray = result.findings.find((f) => f.ruleId === 'iac/ingress-open-ai-port');
    assert.deepEqual([ray?.location.path, ray?.severity], ['main.tf', 'critical']);
  });

  it('follows plan configuration references to match buckets with their public access blocks', async () => {
    const resource = (address: string, type: string, name: string, values: object): object => ({ address, mode: 'managed', type, name, values });
    const plan = {
      format_version: '1.2',
      planned_values: {
        root_module: {
          resources: [
            resource('aws_s3_bucket.covered', 'aws_s3_bucket', 'covered', { bucket: 'covered-bucket' }),
            resource('aws_s3_bucket.bare', 'aws_s3_bucket', 'bare', { bucket: 'bare-bucket' }),
            // The block's bucket id is unknown until apply, so it is absent from planned values.
            resource('aws_s3_bucket_public_access_block.covered', 'aws_s3_bucket_public_access_block', 'covered', {
              block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true,
            }),
          ],
        },
      },
      configuration: {
        root_module: {
          resources: [
            { address: 'aws_s3_bucket_public_access_block.covered', expressions: { bucket: { references: ['aws_s3_bucket.covered.id', 'aws_s3_bucket.covered'] } } },
          ],
        },
      },
    };
    const path = write('plan/tfplan.json', JSON.stringify(plan, null, 2));
    const result = await scan([path]);
    const missing = result.findings.filter((f) => f.ruleId === 'iac/storage-public-access-block').map((f) => f.properties?.['resource']);
    assert.deepEqual(missing, ['aws_s3_bucket.bare']);
  });
});

describe('iac scanner: hostile and broken input is unscannable, never clean, never a crash', () => {
  it('reports each unreadable file with its reason and still checks the readable ones', async () => {
    const root = join(dir, 'broken');
    write('broken/huge.tf', Buffer.alloc(5 * 1024 * 1024 + 1, 0x20));
    write('broken/bad.tf', 'resource "aws_s3_bucket" "b" {\n  bucket = "unterminated\n}\n');
    write('broken/bad.yaml', 'apiVersion: v1\nkind: Pod\nspec: [unclosed\n');
    write('broken/chart/templates/svc.yaml', 'apiVersion: v1\nkind: Service\nspec:\n  type: {{ .Values.service.type }}\n');
    write('broken/binary.tf', Buffer.from([0x00, 0x01, 0x02, 0x72, 0x65, 0x73]));
    const bomb = ['apiVersion: v1', 'kind: ConfigMap', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 10; i += 1) bomb.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    write('broken/bomb.yaml', bomb.join('\n'));
    write('broken/good.tf', 'resource "aws_security_group_rule" "r" {\n  type = "ingress"\n  from_port = 22\n  to_port = 22\n  protocol = "tcp"\n  cidr_blocks = ["0.0.0.0/0"]\n}\n');
    const result = await iacScanner.scan({ root, inputs: [root, join(root, 'missing')] }, { options: {} });
    const reasons = new Map(result.unscannable.map((u) => [u.path, u.reason]));
    assert.match(reasons.get('huge.tf') ?? '', /larger than 5242880 bytes/);
    assert.match(reasons.get('bad.tf') ?? '', /HCL could not be parsed: unterminated string at line 2/);
    assert.match(reasons.get('bad.yaml') ?? '', /YAML syntax error/);
    assert.match(reasons.get('chart/templates/svc.yaml') ?? '', /unrendered Helm/);
    assert.match(reasons.get('binary.tf') ?? '', /binary/);
    assert.match(reasons.get('bomb.yaml') ?? '', /too many|alias/);
    assert.equal(reasons.get('missing'), 'not found');
    assert.ok(result.findings.some((f) => f.ruleId === 'iac/ingress-open-admin-port' && f.location.path === 'good.tf'));
  });

  it('reads pathological lines in linear time (long runs of spaces, thousands of continuation lines)', async () => {
    const root = join(dir, 'slow');
    write('slow/jupyter_server_config.py', `c.ServerApp.ip = '0.0.0.0'${' '.repeat(200_000)}#\nc.ServerApp.token = ''${' '.repeat(200_000)}x\n`);
    write('slow/start.sh', `#!/bin/sh\njupyter lab \\\n${'  --x \\\n'.repeat(9_000)}  --ServerApp.token=''\n`);
    write('slow/Dockerfile', `FROM python:3.11\nRUN echo \\\n${'  a \\\n'.repeat(30_000)}  done\n`);
    const started = Date.now();
    const result = await iacScanner.scan({ root, inputs: [root] }, { options: {} });
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    assert.ok(result.findings.some((f) => f.ruleId === 'iac/jupyter-listen-all' && f.location.path === 'jupyter_server_config.py'));
    assert.ok(result.findings.some((f) => f.ruleId === 'iac/jupyter-no-auth' && f.location.path === 'start.sh' && f.location.line === 2));
  });

  it('reports a partly broken HCL file as unscannable and still checks its valid blocks', async () => {
    const path = write('partial/main.tf', 'resource "x" "y" {\n  a = = 1\n}\n\nresource "aws_ebs_volume" "v" {\n  size = 10\n}\n');
    const result = await scan([path]);
    assert.match(result.unscannable[0]?.reason ?? '', /HCL syntax error .*line 2.*the rest was checked/);
    assert.ok(result.findings.some((f) => f.ruleId === 'iac/encryption-at-rest-missing' && f.location.line === 5));
  });
});

describe('iac scanner: organisation policy', () => {
  const cmkFixture = join(fixturesRoot, 'customer-managed-key-missing', 'fail.tf');
  const auditFixture = join(fixturesRoot, 'audit-trail-missing', 'fail.tf');

  it('reports provider-managed keys and missing audit trails only when the workspace requires them', async () => {
    const none = await scan([cmkFixture, auditFixture]);
    assert.equal(none.findings.filter((f) => f.ruleId === 'iac/customer-managed-key-missing' || f.ruleId.includes('audit') || f.ruleId.includes('logging')).length, 0);
    const workspace = workspaceWith({ require_customer_managed_keys: true, require_audit_logging: true });
    const strict = await scan([cmkFixture, auditFixture], { workspace });
    assert.ok(strict.findings.some((f) => f.ruleId === 'iac/customer-managed-key-missing'));
    assert.ok(strict.findings.some((f) => f.ruleId === 'iac/audit-trail-missing'));
    assert.ok(strict.findings.some((f) => f.ruleId === 'iac/storage-access-logging-missing'));
  });
});

describe('iac scanner: finding invariants over every fixture', () => {
  it('gives every finding a relative path, a line, a rule of its own and a severity no higher than the rule', async () => {
    const result = await scan([fixturesRoot], { requireCustomerManagedKeys: true, requireAuditLogging: true }, fixturesRoot);
    assert.ok(result.findings.length > 80);
    assert.deepEqual(result.unscannable, []);
    for (const f of result.findings) {
      const rule = IAC_RULES.get(f.ruleId);
      assert.ok(rule !== undefined, f.ruleId);
      assert.equal(f.source, 'iac');
      assert.ok(!f.location.path.startsWith('/') && !f.location.path.includes('\\'), f.location.path);
      assert.ok(Number.isInteger(f.location.line) && (f.location.line ?? 0) >= 1, `${f.ruleId} ${f.location.path}`);
      assert.ok(severityRank(f.severity) <= severityRank(rule.severity), `${f.ruleId} ${f.severity}`);
    }
    assert.equal(new Set(result.findings.map((f) => f.fingerprint)).size, result.findings.length, 'no duplicates');
  });

  it('keeps fingerprints when findings move lines, and tags findings with the asset', async () => {
    const body = 'resource "aws_sagemaker_notebook_instance" "nb" {\n  name = "nb"\n}\n';
    const a = write('move/a/main.tf', body);
    const b = write('move/b/main.tf', `\n\n\n${body}`);
    const first = await iacScanner.scan({ root: join(dir, 'move/a'), inputs: [a], asset: 'nb' }, { options: {} });
    const moved = await iacScanner.scan({ root: join(dir, 'move/b'), inputs: [b], asset: 'nb' }, { options: {} });
    assert.deepEqual(first.findings.map((f) => f.fingerprint).sort(), moved.findings.map((f) => f.fingerprint).sort());
    assert.notDeepEqual(first.findings.map((f) => f.location.line), moved.findings.map((f) => f.location.line));
    assert.ok(first.findings.every((f) => f.asset === 'nb'));
  });
});
