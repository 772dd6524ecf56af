/**
 * `warden scan iac PATH`: infrastructure-as-code checks for AI infrastructure. Reads Terraform
 * (HCL, JSON, `terraform show -json` plans), CloudFormation (YAML/JSON), Kubernetes manifests
 * (rendered Helm output included), compose files, Dockerfiles, Jupyter config files and shell
 * scripts; builds one inventory; runs every check over it.
 *
 * Threat assumptions: every scanned file is attacker-controlled. Nothing is executed or
 * evaluated; files over 5 MB are not read; YAML alias expansion, HCL nesting and parse time are
 * bounded; whatever cannot be read is reported as unscannable with the reason, never as clean.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describeError, sortFindings } from '../../domain/index.js';
import type { Asset, Finding, ScanContext, ScanResult, ScanTarget, Scanner, Unscannable } from '../../domain/index.js';
import { createFinding, DEFAULT_SKIP_DIRS, localPathOf, relativeTo, walkFiles } from '../index.js';
import { fixFormatOf } from './check-context.js';
import type { CheckContext, CheckSettings, Report } from './check-context.js';
import { checkAuditLogging } from './checks-audit.js';
import { checkCustomerManagedKeys, checkEncryptionAtRest } from './checks-encryption.js';
import { checkComposePorts, checkKubernetesServices, checkNotebookNetworkPolicies } from './checks-exposure.js';
import { checkJupyter } from './checks-jupyter.js';
import { checkAzureMl, checkSageMaker, checkVertexWorkbench } from './checks-ml-platforms.js';
import { checkOpenIngress } from './checks-network.js';
import { checkPublicAccessBlocks, checkPublicAcls, checkPublicPolicies, checkStoragePublicNetwork } from './checks-storage.js';
import { checkComposeContainers, checkDockerfiles, checkKubernetesContainers } from './checks-workloads.js';
import { candidateOf, loadFile } from './file-loader.js';
import type { Candidate } from './file-loader.js';
import { IacInventory } from './iac-inventory.js';
import { IAC_RULE_DESCRIPTORS, remediationFor, ruleById } from './iac-rules.js';

export const IAC_SCANNER_NAME = 'iac';
/** Files larger than this are not read (a generated plan of a large estate stays well under it). */
export const MAX_IAC_FILE_BYTES = 5 * 1024 * 1024;
/** Wall-clock budget for parsing one file. */
export const FILE_PARSE_BUDGET_MS = 10_000;

const ASSET_KINDS = new Set(['code-repository', 'training-environment', 'notebook-server', 'pipeline', 'storage', 'inference-endpoint', 'model-registry']);
/**
 * Built on first use, not at module load: this module is imported from the scanners index (via
 * builtin-scanners) while that index is still loading, so its exports are not ready yet.
 */
let skipDirs: ReadonlySet<string> | undefined;
function skipDirsOf(): ReadonlySet<string> {
  skipDirs ??= new Set([...DEFAULT_SKIP_DIRS, '.terraform', '.terragrunt-cache']);
  return skipDirs;
}

/** A workspace location that is a URI (`s3://…`, `https://…`) or `host:port`, not a local path. */

export interface IacScanStats {
  filesSeen: number;
  filesRead: number;
  bytesRead: number;
  iacFiles: number;
  notIac: number;
  resources: number;
  kubernetesObjects: number;
}

/** Files read ahead while the current one is parsed: hides file-system latency, bounds memory (8 × 5 MB). */
export const READ_AHEAD = 8;

type ReadResult = { readonly bytes: Buffer } | { readonly error: unknown };

interface PendingRead {
  readonly relativePath: string;
  readonly candidate: Candidate;
  readonly result: Promise<ReadResult>;
}

function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return code === 'ENOENT' ? 'not found' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : describeError(error);
}

/** Loads every IaC file under the target's inputs into one inventory. */
async function readTree(target: ScanTarget, context: ScanContext, inventory: IacInventory, unscannable: Unscannable[], stats: IacScanStats): Promise<void> {
  const pending: PendingRead[] = [];
  const consume = async (read: PendingRead): Promise<void> => {
    const result = await read.result;
    if ('error' in result) {
      unscannable.push({ path: read.relativePath, reason: reasonOf(result.error) });
      return;
    }
    const { bytes } = result;
    if (bytes.length > MAX_IAC_FILE_BYTES) {
      unscannable.push({ path: read.relativePath, reason: `grew past ${MAX_IAC_FILE_BYTES} bytes while being read` });
      return;
    }
    stats.filesRead += 1;
    stats.bytesRead += bytes.length;
    if (bytes.subarray(0, 8192).includes(0)) {
      // Binary content: an IaC-looking name on a binary file is worth telling the user about.
      if (read.candidate !== 'sniff') unscannable.push({ path: read.relativePath, reason: 'binary content in a file named like IaC' });
      return;
    }
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    const outcome = loadFile(inventory, read.relativePath, read.candidate, text, Date.now() + FILE_PARSE_BUDGET_MS);
    if (outcome.status === 'not-iac') stats.notIac += 1;
    else if (outcome.status === 'unscannable') unscannable.push({ path: read.relativePath, reason: outcome.reason });
    else {
      stats.iacFiles += 1;
      if (outcome.problem !== undefined) unscannable.push({ path: read.relativePath, reason: outcome.problem });
    }
  };
  for (const input of target.inputs) {
    // Inputs are paths as the user gave them (relative to the working directory), like walkFiles takes them.
    const absolute = resolve(input);
    try {
      for await (const file of walkFiles(target.root, absolute, { skipDirs: skipDirsOf(), ...(context.signal !== undefined && { signal: context.signal }) })) {
        stats.filesSeen += 1;
        const candidate = candidateOf(file.relativePath);
        if (candidate === undefined) continue;
        context.onProgress?.({ done: stats.filesSeen, current: file.relativePath });
        if (file.size > MAX_IAC_FILE_BYTES) {
          unscannable.push({ path: file.relativePath, reason: `larger than ${MAX_IAC_FILE_BYTES} bytes; not read` });
          continue;
        }
        const result = readFile(file.path).then(
          (bytes): ReadResult => ({ bytes }),
          (error: unknown): ReadResult => ({ error }),
        );
        pending.push({ relativePath: file.relativePath, candidate, result });
        if (pending.length >= READ_AHEAD) await consume(pending.shift() as PendingRead);
      }
      if (context.signal?.aborted === true) unscannable.push({ path: relativeTo(target.root, absolute), reason: 'scan aborted before the whole tree was read' });
    } catch (error) {
      unscannable.push({ path: relativeTo(target.root, absolute), reason: reasonOf(error) });
    }
    while (pending.length > 0) await consume(pending.shift() as PendingRead);
  }
}

function settingsFor(context: ScanContext): CheckSettings {
  const policy = context.workspace?.organisation.policy;
  return {
    requireCustomerManagedKeys: context.options['requireCustomerManagedKeys'] === true || policy?.require_customer_managed_keys === true,
    requireAuditLogging: context.options['requireAuditLogging'] === true || policy?.require_audit_logging === true,
  };
}

/** Runs every check over the inventory; returns de-duplicated findings. */
export function runChecks(inventory: IacInventory, settings: CheckSettings, asset?: string): Finding[] {
  const byFingerprint = new Map<string, Finding>();
  const check: CheckContext = {
    inventory,
    settings,
    report(report: Report): void {
      const rule = ruleById(report.rule);
      const finding = createFinding({
        ruleId: rule.id,
        severity: report.severity ?? rule.severity,
        message: report.message,
        location: { path: report.file, line: report.line },
        source: IAC_SCANNER_NAME,
        ...(asset !== undefined && { asset }),
        ...(report.evidence !== undefined && { evidence: report.evidence }),
        remediation: remediationFor(rule, fixFormatOf(report.format)),
        controls: rule.controls,
        properties: {
          format: report.format,
          ...(report.resource !== undefined && { resource: report.resource }),
          ...(report.storageName !== undefined && { storageName: report.storageName }),
          ...(report.assetTag !== undefined && { assetTag: report.assetTag }),
        },
        key: report.key,
      });
      if (!byFingerprint.has(finding.fingerprint)) byFingerprint.set(finding.fingerprint, finding);
    },
  };
  checkPublicAcls(check);
  checkPublicPolicies(check);
  checkPublicAccessBlocks(check);
  checkStoragePublicNetwork(check);
  const unencrypted = checkEncryptionAtRest(check);
  checkCustomerManagedKeys(check, unencrypted);
  checkSageMaker(check);
  checkVertexWorkbench(check);
  checkAzureMl(check);
  checkOpenIngress(check);
  checkJupyter(check);
  checkKubernetesContainers(check);
  checkKubernetesServices(check);
  checkNotebookNetworkPolicies(check);
  checkComposeContainers(check);
  checkComposePorts(check);
  checkDockerfiles(check);
  checkAuditLogging(check);
  return sortFindings([...byFingerprint.values()]);
}

export const iacScanner: Scanner = {
  name: IAC_SCANNER_NAME,
  description:
    'Infrastructure-as-code checks for AI infrastructure: public buckets, unencrypted storage, SageMaker/Vertex/Azure ML notebooks open to the internet, AI service ports open to the world, Jupyter without a token, exposed Kubernetes and compose services (Terraform, plans, CloudFormation, Kubernetes, compose, Dockerfiles).',
  evidenceKind: 'scan:iac',
  rules: IAC_RULE_DESCRIPTORS,
  options: [
    { flags: '--require-customer-managed-keys', description: 'report storage encrypted with provider-managed keys (as organisation.policy.require_customer_managed_keys does)' },
    { flags: '--require-audit-logging', description: 'report missing audit trails and bucket access logs (as organisation.policy.require_audit_logging does)' },
  ],
  defaultFailOn: 'high',

  targetFor(asset: Asset, workspaceDir: string): ScanTarget | undefined {
    if (!ASSET_KINDS.has(asset.kind)) return undefined;
    const path = localPathOf(asset.location, workspaceDir);
    if (path === undefined) return undefined;
    return { root: workspaceDir, inputs: [path], asset: asset.id };
  },

  async scan(target: ScanTarget, context: ScanContext): Promise<ScanResult> {
    const started = Date.now();
    const startedAt = new Date(started).toISOString();
    const inventory = new IacInventory();
    const unscannable: Unscannable[] = [];
    const stats: IacScanStats = { filesSeen: 0, filesRead: 0, bytesRead: 0, iacFiles: 0, notIac: 0, resources: 0, kubernetesObjects: 0 };
    await readTree(target, context, inventory, unscannable, stats);
    inventory.resolve();
    stats.resources = inventory.resources.length;
    stats.kubernetesObjects = inventory.k8s.length;
    const findings = runChecks(inventory, settingsFor(context), target.asset);
    return {
      scanner: IAC_SCANNER_NAME,
      findings,
      scanned: stats.iacFiles,
      unscannable,
      stats: { ...stats },
      startedAt,
      durationMs: Date.now() - started,
    };
  },
};
