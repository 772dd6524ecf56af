/**
 * Checks for pillars 2 and 3: how models, environments and services are protected. Exposure and
 * authentication are judged together: a private service without a password is a weakness, an
 * internet-facing one is an open door.
 */
import type { Asset, EvidenceRef, Severity } from '../../domain/index.js';
import { EVERYONE, modelAccessList } from '../../workspace/index.js';
import { effectiveClassification, expandAccess, isSensitive, listNames, plural } from '../assessment-context.js';
import { bySensitivity } from './data-checks.js';
import { modelPermissionProblems, registryIntegrity } from './model-registry-evidence.js';
import { declared, gap, notApplicable, pass, worstOf } from './check-types.js';
import type { Check, RiskCategory } from './check-types.js';

const everyoneIn = (entries: readonly string[] | undefined): boolean => entries?.includes(EVERYONE) === true;

type Problem = { reason: string; severity: Severity; status: 'fail' | 'partial'; category?: RiskCategory };

const STRONG_AUTH: ReadonlySet<string> = new Set(['sso', 'sso-mfa', 'mtls']);

function exposureEvidence(asset: Asset): EvidenceRef[] {
  const c = asset.controls;
  return [
    declared(asset, 'controls.exposure', c?.exposure ?? 'not declared'),
    declared(asset, 'controls.authentication', c?.authentication ?? 'not declared'),
  ];
}

export const modelAccessCheck: Check = (ctx, asset) => {
  if (asset === undefined) return notApplicable('applies to assets');
  const c = asset.controls;
  const problems: Problem[] = [];
  const evidence = exposureEvidence(asset);
  const effective = effectiveClassification(ctx, asset);
  if (asset.kind !== 'model' && (c?.authentication === undefined || c.authentication === 'none')) {
    problems.push({
      reason: c?.authentication === 'none' ? `serves models without authentication${c.exposure === 'internet' ? ' on the internet' : ''}` : 'authentication is not declared',
      severity: c?.exposure === 'internet' ? 'critical' : 'high',
      status: 'fail',
    });
  }
  const entries = c?.access;
  // An endpoint's callers are governed by its authentication; an access list is for artefacts.
  if (asset.kind === 'inference-endpoint') {
    // nothing more to check here
  } else if (entries === undefined || entries.length === 0) {
    problems.push({ reason: 'no access list: who may read, export or promote the model is unknown', severity: bySensitivity(effective, 'high', 'medium', 'low'), status: 'fail' });
  } else {
    const { everyone, people } = expandAccess(ctx, entries);
    evidence.push(declared(asset, 'controls.access', `${plural(people.length, 'person', 'people')}`));
    // `model_access.read` / `.export`, when declared, say more precisely who may read and export.
    const readAll = everyoneIn(modelAccessList(asset, 'read').entries);
    const exportAll = everyoneIn(modelAccessList(asset, 'export').entries);
    if (everyone || readAll || exportAll) {
      const what = readAll && exportAll ? 'read and export' : exportAll ? 'export' : readAll ? 'read' : '';
      if (what !== '') problems.push({ reason: `everyone may ${what} the model`, severity: bySensitivity(effective, 'high', 'medium', 'low'), status: 'fail', category: 'overly-broad-access' });
    }
  }
  if (asset.kind !== 'inference-endpoint') {
    const permissions = modelPermissionProblems(ctx, asset, bySensitivity(effective, 'high', 'medium', 'low'));
    problems.push(...permissions.problems);
    evidence.push(...permissions.evidence);
  }
  return worstOf(problems, evidence) ?? pass('access limited to named people and authenticated', evidence);
};

export const modelSignedCheck: Check = (ctx, asset) => {
  if (asset === undefined) return notApplicable('applies to assets');
  const signed = asset.controls?.signed;
  const declaredEvidence = declared(asset, 'controls.signed', signed === undefined ? 'not declared' : String(signed));
  // Registry records are facts; the declaration is a claim, used only when there are none.
  const registry = registryIntegrity(ctx, asset);
  if (registry !== undefined) {
    const evidence = [...registry.evidence, declaredEvidence];
    return worstOf(registry.problems, evidence) ?? pass(registry.passReason, evidence);
  }
  const evidence = [declaredEvidence];
  if (signed === true) return pass('artefacts are signed (declared; verified by the registry at promotion)', evidence);
  return gap('fail', 'model artefacts are not signed: tampering between training and serving would go unnoticed', asset.environment === 'production' ? 'high' : 'medium', evidence);
};

export const modelProvenanceCheck: Check = (_ctx, asset) => {
  if (asset === undefined) return notApplicable('applies to assets');
  if (asset.source === undefined) {
    return gap('fail', 'provenance is not recorded: no source (base model, hub, vendor or in-house)', 'low', [declared(asset, 'source', 'not declared')]);
  }
  return pass(`source: ${asset.source}`, [declared(asset, 'source', asset.source)]);
};

export const hardenedEnvironmentCheck: Check = (ctx, asset) => {
  if (asset === undefined) return notApplicable('applies to assets');
  const c = asset.controls;
  const problems: Problem[] = [];
  const evidence = [...exposureEvidence(asset), declared(asset, 'controls.hardening', c?.hardening ?? 'not declared')];
  const sensitive = isSensitive(effectiveClassification(ctx, asset));
  if (c?.hardening === undefined || c.hardening === 'none') {
    problems.push({ reason: c?.hardening === 'none' ? 'no hardening baseline applied' : 'hardening baseline not declared', severity: 'medium', status: 'fail' });
  }
  if (c?.exposure === 'internet') {
    const weak = c.authentication === undefined || c.authentication === 'none';
    problems.push({
      reason: `reachable from the internet${weak ? ' without authentication' : ''}`,
      severity: weak ? 'critical' : sensitive ? 'high' : 'medium',
      status: 'fail',
      category: weak ? 'exposed-dev-environment' : undefined,
    });
  } else if (c?.exposure === undefined) {
    problems.push({ reason: 'network exposure not declared', severity: 'low', status: 'partial' });
  }
  if (c?.authentication === 'none' && c.exposure !== 'internet') {
    problems.push({ reason: 'no authentication inside the network', severity: sensitive ? 'high' : 'medium', status: 'fail' });
  }
  return worstOf(problems, evidence) ?? pass(`baseline ${c?.hardening}, ${c?.exposure} network, ${c?.authentication ?? 'undeclared'} authentication`, evidence);
};

const PUBLIC_STORAGE_KINDS: ReadonlySet<string> = new Set(['dataset', 'storage', 'model-registry']);

export const storageNotPublicCheck: Check = (ctx, asset) => {
  if (asset === undefined) return notApplicable('applies to assets');
  if (!PUBLIC_STORAGE_KINDS.has(asset.kind)) return notApplicable('not a storage asset');
  const c = asset.controls;
  const evidence = exposureEvidence(asset);
  const effective = effectiveClassification(ctx, asset);
  if (c?.exposure === 'internet' && (c.authentication === undefined || c.authentication === 'none')) {
    return gap('fail', `publicly readable from the internet (${effective ?? 'unclassified'} data)`, bySensitivity(effective, 'critical', 'critical', 'high'), evidence, 'public-storage');
  }
  if (c?.exposure === undefined) return gap('partial', 'network exposure not declared', 'low', evidence);
  return pass(`${c.exposure} access only`, evidence);
};

export const apiSecurityCheck: Check = (ctx, asset) => {
  if (asset === undefined) return notApplicable('applies to assets');
  const c = asset.controls;
  const problems: Problem[] = [];
  const evidence = [...exposureEvidence(asset), declared(asset, 'controls.tls', String(c?.tls ?? 'not declared')), declared(asset, 'controls.rate_limit', String(c?.rate_limit ?? 'not declared'))];
  const internet = c?.exposure === 'internet';
  const sensitive = isSensitive(effectiveClassification(ctx, asset));
  if (c?.authentication === undefined || c.authentication === 'none') {
    problems.push({
      reason: c?.authentication === 'none' ? `no authentication${internet ? ' on an internet-facing API' : ''}` : 'authentication not declared',
      severity: internet ? 'critical' : 'high',
      status: 'fail',
      category: internet && asset.kind !== 'inference-endpoint' ? 'exposed-dev-environment' : undefined,
    });
  }
  if (c?.tls !== true && c?.encryption?.in_transit !== true && c?.exposure !== 'localhost') {
    problems.push({ reason: c?.tls === false ? 'served without TLS' : 'TLS not declared', severity: internet ? 'high' : 'medium', status: c?.tls === false ? 'fail' : 'partial' });
  }
  if (asset.kind === 'inference-endpoint' && c?.rate_limit !== true) {
    problems.push({ reason: 'no rate limit: model extraction and runaway cost go unchecked', severity: internet || sensitive ? 'medium' : 'low', status: 'partial' });
  }
  return worstOf(problems, evidence) ?? pass(`authenticated (${c?.authentication}), TLS${asset.kind === 'inference-endpoint' ? ', rate limited' : ''}`, evidence);
};

export const devEnvironmentCheck: Check = (ctx, asset) => {
  if (asset === undefined) return notApplicable('applies to assets');
  const c = asset.controls;
  const evidence = exposureEvidence(asset);
  const problems: Problem[] = [];
  const auth = c?.authentication;
  const sensitive = isSensitive(effectiveClassification(ctx, asset));
  if (c?.exposure === 'internet') {
    if (auth === undefined || auth === 'none') {
      problems.push({ reason: 'reachable from the internet without authentication: anyone can run code next to client data', severity: 'critical', status: 'fail', category: 'exposed-dev-environment' });
    } else if (!STRONG_AUTH.has(auth)) {
      problems.push({ reason: `reachable from the internet behind a ${auth} only`, severity: 'high', status: 'fail', category: 'exposed-dev-environment' });
    } else {
      problems.push({ reason: `reachable from the internet (behind ${auth}); prefer a VPN`, severity: 'low', status: 'partial' });
    }
  } else if (c?.exposure === undefined) {
    problems.push({ reason: 'network exposure not declared', severity: 'medium', status: 'partial' });
  } else if (auth === 'none' && c.exposure !== 'localhost') {
    problems.push({ reason: `no authentication on the ${c.exposure} network`, severity: sensitive ? 'high' : 'medium', status: 'fail' });
  }
  if (c?.tls === false && c.exposure !== 'localhost') {
    problems.push({ reason: 'served without TLS: tokens travel in clear', severity: 'medium', status: 'partial' });
  }
  const reads = asset.lineage?.reads ?? [];
  const ok = `${c?.exposure} network, ${auth ?? 'undeclared'} authentication${reads.length ? `; reads ${listNames(reads)}` : ''}`;
  return worstOf(problems, evidence) ?? pass(ok, evidence);
};

export const SYSTEM_CHECKS: Readonly<Record<string, Check>> = {
  'model-access': modelAccessCheck,
  'model-signed': modelSignedCheck,
  'model-provenance': modelProvenanceCheck,
  'hardened-environment': hardenedEnvironmentCheck,
  'storage-not-public': storageNotPublicCheck,
  'api-security': apiSecurityCheck,
  'dev-environment': devEnvironmentCheck,
};
