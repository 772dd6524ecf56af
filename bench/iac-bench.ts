/**
 * Benchmark of `warden scan iac`: a generated tree of 10,000 IaC files (Terraform, plan JSON,
 * CloudFormation, Kubernetes, compose, Dockerfiles, Jupyter configs), scanned in full. The
 * physical-limit anchor is the time to walk the same tree and read the same bytes in the same run,
 * so the ratio says how much the parsing and checks cost over plain I/O.
 *
 * Writes its section of docs/benchmarks.md. Run: npm run bench:iac
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { READ_AHEAD, iacScanner } from '../src/scanners/iac/index.js';
import { walkFiles } from '../src/scanners/index.js';

const FILES = 10_000;
const RUNS = 3;

// ---------------------------------------------------------------- generated corpus

function terraform(i: number): string {
  const open = i % 3 === 0 ? '"0.0.0.0/0"' : '"10.0.0.0/8"';
  return `variable "internet_${i}" {
  default = "${i % 2 === 0 ? 'Enabled' : 'Disabled'}"
}

resource "aws_s3_bucket" "data_${i}" {
  bucket = "acme-data-${i}"
  tags = {
    team  = "ml"
    index = ${i}
  }
}

resource "aws_s3_bucket_public_access_block" "data_${i}" {
  bucket                  = aws_s3_bucket.data_${i}.id
  block_public_acls       = true
  block_public_policy     = ${i % 5 !== 0}
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_sagemaker_notebook_instance" "nb_${i}" {
  name                   = "nb-${i}"
  role_arn               = aws_iam_role.sagemaker.arn
  instance_type          = "ml.t3.medium"
  direct_internet_access = var.internet_${i}
  subnet_id              = aws_subnet.private.id
}

resource "aws_security_group" "sg_${i}" {
  name = "sg-${i}"
  ingress {
    from_port   = 8000
    to_port     = 9000
    protocol    = "tcp"
    cidr_blocks = [${open}]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

locals {
  names_${i} = [for k, v in var.users : upper(k) if v != null]
  policy_${i} = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::123456789012:root" }, Action = "s3:GetObject" }]
  })
}
`;
}

function plan(i: number): string {
  const resources = Array.from({ length: 5 }, (_, k) => ({
    address: `aws_ebs_volume.v${k}`,
    mode: 'managed',
    type: 'aws_ebs_volume',
    name: `v${k}`,
    values: { availability_zone: 'eu-west-1a', size: 100 + k, encrypted: (i + k) % 2 === 0, kms_key_id: null },
  }));
  return JSON.stringify({ format_version: '1.2', terraform_version: '1.11.4', planned_values: { root_module: { resources } } }, null, 2);
}

function cloudformation(i: number): string {
  return `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Access:
    Type: String
    Default: ${i % 2 === 0 ? 'Enabled' : 'Disabled'}
Resources:
  Notebook${i}:
    Type: AWS::SageMaker::NotebookInstance
    Properties:
      InstanceType: ml.t3.medium
      RoleArn: !GetAtt Role.Arn
      DirectInternetAccess: !Ref Access
      SubnetId: !Ref PrivateSubnet
  Bucket${i}:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "\${AWS::StackName}-${i}"
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
  SG${i}:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: notebook
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 8888
          ToPort: 8888
          CidrIp: ${i % 4 === 0 ? '0.0.0.0/0' : '10.0.0.0/8'}
`;
}

function kubernetes(i: number): string {
  return `---
# Source: notebooks/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: lab-${i}
  namespace: team-${i % 20}
spec:
  replicas: 1
  selector:
    matchLabels: {app: lab-${i}}
  template:
    metadata:
      labels: {app: lab-${i}}
    spec:
      securityContext:
        runAsNonRoot: ${i % 3 !== 0}
        runAsUser: 1000
      containers:
        - name: lab
          image: quay.io/jupyter/scipy-notebook:2024-05-27
          args: ["start-notebook.py"${i % 7 === 0 ? `, "--IdentityProvider.token=''"` : ''}]
          env:
            - name: HF_TOKEN
              valueFrom:
                secretKeyRef: {name: hf, key: token}
          ports:
            - containerPort: 8888
---
# Source: notebooks/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: lab-${i}
  namespace: team-${i % 20}
spec:
  type: ${i % 5 === 0 ? 'LoadBalancer' : 'ClusterIP'}
  selector: {app: lab-${i}}
  ports:
    - port: 8888
`;
}

function compose(i: number): string {
  return `x-common: &common
  restart: unless-stopped
services:
  lab:
    <<: *common
    image: quay.io/jupyter/pytorch-notebook
    ports:
      - "${i % 2 === 0 ? '' : '127.0.0.1:'}8888:8888"
  ollama:
    <<: *common
    image: ollama/ollama
    environment:
      OLLAMA_HOST: 0.0.0.0
`;
}

function dockerfile(i: number): string {
  return `FROM python:3.11-slim AS build
RUN pip wheel --wheel-dir /wheels jupyterlab==4.2.0
FROM python:3.11-slim
COPY --from=build /wheels /wheels
RUN pip install /wheels/* && useradd -m -u 1000 lab
USER 1000
ENV MODEL_NAME=model-${i}
CMD ["jupyter", "lab", "--ip=${i % 2 === 0 ? '0.0.0.0' : '127.0.0.1'}", "--no-browser"]
`;
}

function jupyterConfig(i: number): string {
  return `c = get_config()  # noqa
c.ServerApp.port = ${8888 + (i % 10)}
c.ServerApp.ip = '127.0.0.1'
c.IdentityProvider.token = ${i % 3 === 0 ? "''" : "'from-env'"}
`;
}

const MIX: readonly [(i: number) => string, (i: number) => string, number][] = [
  [(i) => `main-${i}.tf`, terraform, 30],
  [(i) => `tfplan-${i}.json`, plan, 10],
  [(i) => `stack-${i}.yaml`, cloudformation, 15],
  [(i) => `manifests-${i}.yaml`, kubernetes, 20],
  [(i) => `docker-compose-${i}.yml`, compose, 10],
  [(i) => `Dockerfile.${i}`, dockerfile, 10],
  [(i) => `${i}_jupyter_server_config.py`, jupyterConfig, 5],
];

function generate(root: string): number {
  let bytes = 0;
  const total = MIX.reduce((sum, [, , weight]) => sum + weight, 0);
  let i = 0;
  for (const [name, make, weight] of MIX) {
    const count = Math.round((FILES * weight) / total);
    for (let k = 0; k < count && i < FILES; k += 1, i += 1) {
      // About ten files per folder and fifty folders per project, like a monorepo of modules and charts.
      const folder = join(root, `project-${Math.floor(i / 500)}`, `unit-${Math.floor(i / 10)}`);
      mkdirSync(folder, { recursive: true });
      const text = make(i);
      writeFileSync(join(folder, name(i)), text);
      bytes += Buffer.byteLength(text);
    }
  }
  return bytes;
}

// ---------------------------------------------------------------- measurement

/** The physical anchor: the same walk and the same reads, with the scanner's read-ahead, and nothing else. */
async function readAll(root: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  const pending: Promise<Buffer>[] = [];
  const take = async (): Promise<void> => {
    const data = await (pending.shift() as Promise<Buffer>);
    files += 1;
    bytes += data.length;
  };
  for await (const file of walkFiles(root, root)) {
    pending.push(readFile(file.path));
    if (pending.length >= READ_AHEAD) await take();
  }
  while (pending.length > 0) await take();
  return { files, bytes };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'warden-iac-bench-'));
  try {
    const generatedBytes = generate(root);
    const loadBefore = loadavg()[0] ?? 0;
    await readAll(root); // warm the page cache so both measurements read from memory
    const readTimes: number[] = [];
    let read = { files: 0, bytes: 0 };
    for (let r = 0; r < RUNS; r += 1) {
      const t0 = performance.now();
      read = await readAll(root);
      readTimes.push(performance.now() - t0);
    }
    const scanTimes: number[] = [];
    let peakRss = process.memoryUsage().rss;
    const baselineRss = peakRss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 10);
    let findings = 0;
    let scanned = 0;
    let unscannable = 0;
    for (let r = 0; r < RUNS; r += 1) {
      const t0 = performance.now();
      const result = await iacScanner.scan({ root, inputs: [root] }, { options: {} });
      scanTimes.push(performance.now() - t0);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      findings = result.findings.length;
      scanned = result.scanned;
      unscannable = result.unscannable.length;
    }
    clearInterval(sampler);
    const readMs = median(readTimes);
    const scanMs = median(scanTimes);
    const mb = read.bytes / (1024 * 1024);
    const figures = {
      files: read.files,
      megabytes: Number(mb.toFixed(1)),
      scanned,
      unscannable,
      findings,
      scanMs: Math.round(scanMs),
      readMs: Math.round(readMs),
      filesPerSecond: Math.round(read.files / (scanMs / 1000)),
      scanMBps: Number((mb / (scanMs / 1000)).toFixed(1)),
      readMBps: Number((mb / (readMs / 1000)).toFixed(1)),
      ratio: Number((scanMs / readMs).toFixed(1)),
      peakRssMB: Math.round(peakRss / (1024 * 1024)),
      rssGrowthMB: Math.round((peakRss - baselineRss) / (1024 * 1024)),
      maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      loadBefore: Number(loadBefore.toFixed(1)),
      loadAfter: Number((loadavg()[0] ?? 0).toFixed(1)),
    };
    console.log(JSON.stringify(figures, null, 2));
    if (generatedBytes !== read.bytes) throw new Error(`read ${read.bytes} bytes, generated ${generatedBytes}`);
    await writeSection(figures);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const n = (value: number | undefined): string => (value ?? 0).toLocaleString('en-US');

async function writeSection(f: Record<string, number>): Promise<void> {
  const path = join(process.cwd(), 'docs', 'benchmarks.md');
  const section = [
    '<!-- bench:iac:start -->',
    '## iac',
    '',
    `\`warden scan iac\` over a generated tree of ${n(f['files'])} IaC files (${f['megabytes']} MB: Terraform 30 %, plan JSON 10 %, CloudFormation 15 %, Kubernetes multi-document YAML 20 %, compose 10 %, Dockerfiles 10 %, Jupyter configs 5 %), median of ${RUNS} runs, page cache warm.`,
    '',
    '| measure | value |',
    '| --- | --- |',
    `| scan time | ${n(f['scanMs'])} ms (${n(f['filesPerSecond'])} files/s, ${f['scanMBps']} MB/s) |`,
    `| physical limit: walk + read the same bytes (same ${READ_AHEAD}-file read-ahead), same run | ${n(f['readMs'])} ms (${f['readMBps']} MB/s) |`,
    `| ratio scan / read | ${f['ratio']}× |`,
    `| files recognised as IaC / unscannable | ${n(f['scanned'])} / ${n(f['unscannable'])} |`,
    `| findings | ${n(f['findings'])} |`,
    `| peak RSS during the scans (growth over start) | ${f['peakRssMB']} MB (+${f['rssGrowthMB']} MB) |`,
    `| process max RSS | ${f['maxRssMB']} MB |`,
    '',
    'The scanner is single-threaded: parsing and checks run on one core while reads overlap with them.',
    `The machine is shared (1-minute load average ${f['loadBefore']} before, ${f['loadAfter']} after), so wall-clock figures move between runs; the ratio is measured in the same run.`,
    '',
    `Machine: ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 1024 ** 3)} GiB memory, Node ${process.version}. Date: ${new Date().toISOString().slice(0, 10)}.`,
    '',
    'Reproduce: `npm run bench:iac`',
    '<!-- bench:iac:end -->',
  ].join('\n');
  let current = '';
  try {
    current = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
    current = '# Benchmarks\n';
  }
  const pattern = /<!-- bench:iac:start -->[\s\S]*?<!-- bench:iac:end -->/;
  const next = pattern.test(current) ? current.replace(pattern, section) : `${current.trimEnd()}\n\n${section}\n`;
  mkdirSync(join(process.cwd(), 'docs'), { recursive: true });
  await writeFile(path, next);
}

await main();
