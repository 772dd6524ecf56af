/**
 * Checks for pillar 1 (data): classification, access, encryption, isolation, lifecycle, logging.
 * They judge what warden.yaml declares and what lineage implies; undeclared is never "fine": a
 * control nobody can show is in place is treated as missing.
 */
import { classificationRank } from '../../domain/index.js';
import type { Asset, Classification, EvidenceRef, Severity } from '../../domain/index.js';
import {
  effectiveClassification,
  expandAccess,
  isSensitive,
  listNames,
  plural,
  reachOf,
  recordsReachable,
} from '../assessment-context.js';
import type { AssessmentContext } from '../assessment-context.js';
import { declared, gap, notApplicable, pass, worstOf } from './check-types.js';
import type { Check, CheckOutcome, RiskCategory } from './check-types.js';

/** Severity of a data gap by how sensitive the data is. */
export function bySensitivity(c: Classification | undefined, restricted: Severity, confidential: Severity, other: Severity): Severity {
  if (c === 'restricted') return restricted;
  if (c === 'confidential') return confidential;
  return other;
}

const HOLDS_DATA_AT_REST: ReadonlySet<string> = new Set([
  'dataset',
  'storage',
  'model',
  'training-environment',
  'notebook-server',
  'pipeline',
  'model-registry',
]);

export const classificationCheck: Check = (ctx, asset) => {
  if (asset === undefined) return notApplicable('applies to assets');
  const effective = effectiveClassification(ctx, asset);
  const reach = reachOf(ctx, asset);
  const evidence: EvidenceRef[] = [];
  if (asset.classification === undefined) {
    const carriesClientData = reach.clients.size > 0;
    // Code is not a data store: unless lineage says it holds client data, what matters is whether
    // personal data leaked into it, which the secrets scanner's data-exposure findings decide.
    if (asset.kind === 'code-repository' && !carriesClientData) return notApplicable('code holds no declared client data; scanners look for personal data in it');
    return gap(
      'fail',
      carriesClientData
        ? `no classification declared, but it carries data of ${listNames([...reach.clients])}${effective ? ` (upstream is ${effective})` : ''}`
        : 'no classification declared',
      bySensitivity(effective, 'high', 'medium', 'low'),
      [declared(asset, 'classification', 'not declared')],
    );
  }
  evidence.push(declared(asset, 'classification', `declared ${asset.classification}`));
  if (effective !== undefined && classificationRank(effective) > classificationRank(asset.classification)) {
    const sources = (ctx.graph.inputs[ctx.graph.indexOf(asset.id)] ?? [])
      .map((j) => ctx.graph.assets[j])
      .filter((a): a is Asset => a !== undefined && a.classification !== undefined && classificationRank(a.classification) > classificationRank(asset.classification ?? 'public'))
      .map((a) => `${a.id} (${a.classification})`);
    evidence.push({ kind: 'lineage', summary: `upstream data is ${effective}`, ref: listNames(sources) });
    return gap(
      'fail',
      `classified ${asset.classification} but derived from ${effective} data${sources.length ? `: ${listNames(sources)}` : ''}`,
      bySensitivity(effective, 'high', 'medium', 'low'),
      evidence,
    );
  }
  return pass(`classified ${asset.classification}${effective !== asset.classification && effective ? `, upstream ${effective}` : ''}`, evidence);
};

export const accessRestrictedCheck: Check = (ctx, asset) => {
  if (asset === undefined) return notApplicable('applies to assets');
  const entries = asset.controls?.access;
  const effective = effectiveClassification(ctx, asset);
  if (entries === undefined || entries.length === 0) {
    return gap('fail', 'no access list declared: who has access cannot be answered', bySensitivity(effective, 'high', 'medium', 'low'), [
      declared(asset, 'controls.access', 'not declared'),
    ]);
  }
  const { people, everyone, roles } = expandAccess(ctx, entries);
  const evidence = [declared(asset, 'controls.access', `access: ${entries.join(', ')} → ${plural(people.length, 'person', 'people')}`)];
  const problems: { reason: string; severity: Severity; status: 'fail' | 'partial'; category?: RiskCategory }[] = [];
  if (everyone) {
    problems.push({
      reason: `access is granted to everyone (${plural(ctx.people.size, 'person', 'people')})`,
      severity: bySensitivity(effective, 'critical', 'high', 'medium'),
      status: 'fail',
      category: 'overly-broad-access',
    });
  }
  const clients = [...reachOf(ctx, asset).clients];
  if (clients.length > 0 && !everyone) {
    const outsiders = people.filter((p) => !(p.clients ?? []).some((c) => clients.includes(c))).map((p) => p.id);
    if (outsiders.length > 0) {
      problems.push({
        reason: `${listNames(outsiders)} ${outsiders.length === 1 ? 'has' : 'have'} access but ${outsiders.length === 1 ? 'is' : 'are'} not engaged with ${listNames(clients)}`,
        severity: bySensitivity(effective, 'high', 'medium', 'low'),
        status: 'fail',
        category: roles.length > 0 ? 'overly-broad-access' : undefined,
      });
    }
  }
  const inactive = people.filter((p) => p.active === false).map((p) => p.id);
  if (inactive.length > 0) {
    problems.push({ reason: `inactive people keep access: ${listNames(inactive)}`, severity: 'high', status: 'fail', category: 'overly-broad-access' });
  }
  if (roles.length > 0 && !everyone) {
    problems.push({ reason: `granted to whole roles (${roles.join(', ')}) rather than named people`, severity: 'low', status: 'partial' });
  }
  return worstOf(problems, evidence) ?? pass(`${plural(people.length, 'named person', 'named people')}: ${listNames(people.map((p) => p.id))}`, evidence);
};

/** Whether something requires customer-managed keys for this asset, and why. */
function customerKeyReason(ctx: AssessmentContext, asset: Asset, effective: Classification | undefined): string | undefined {
  if (ctx.workspace.organisation.policy?.require_customer_managed_keys === true) return 'organisation policy requires customer-managed keys';
  if (effective === 'restricted') return 'restricted data requires customer-managed keys';
  for (const clientId of reachOf(ctx, asset).clients) {
    const client = ctx.workspace.clients.find((c) => c.id === clientId);
    if (client?.requirements?.some((r) => /customer[- ]managed|own key|BYOK|per[- ]client key/i.test(r))) {
      return `${client.name}'s contract requires customer-managed keys`;
    }
  }
  return undefined;
}

export const encryptionCheck: Check = (ctx, asset) => {
  if (asset === undefined) return notApplicable('applies to assets');
  const enc = asset.controls?.encryption;
  const effective = effectiveClassification(ctx, asset);
  const records = recordsReachable(ctx, asset);
  const evidence: EvidenceRef[] = [];
  const problems: { reason: string; severity: Severity; status: 'fail' | 'partial'; category?: RiskCategory }[] = [];
  const sensitive = isSensitive(effective);
  if (HOLDS_DATA_AT_REST.has(asset.kind)) {
    evidence.push(declared(asset, 'controls.encryption.at_rest', enc?.at_rest === undefined ? 'not declared' : `at_rest: ${enc.at_rest}`));
    if (enc?.at_rest !== true) {
      const what = `${effective ?? 'unclassified'} data${records > 0 ? ` (${plural(records, 'record')})` : ''}`;
      problems.push({
        reason: enc?.at_rest === false ? `${what} is stored unencrypted` : `encryption at rest is not declared for ${what}`,
        severity: bySensitivity(effective, 'critical', 'high', 'medium'),
        status: 'fail',
        category: sensitive ? 'unencrypted-sensitive-data' : undefined,
      });
    } else {
      const need = customerKeyReason(ctx, asset, effective);
      if (need !== undefined && enc.key !== 'customer-managed' && enc.key !== 'per-client') {
        problems.push({ reason: `${need}, but the key is ${enc.key ?? 'undeclared'}`, severity: 'medium', status: 'partial' });
      }
      if (effective === 'restricted' && reachOf(ctx, asset).clients.size > 1 && enc.key !== 'per-client') {
        problems.push({ reason: 'restricted data of several clients shares one key: one client cannot be crypto-shredded', severity: 'medium', status: 'partial' });
      }
    }
  }
  evidence.push(declared(asset, 'controls.encryption.in_transit', enc?.in_transit === undefined ? 'not declared' : `in_transit: ${enc.in_transit}`));
  if (enc?.in_transit !== true && asset.controls?.tls !== true) {
    problems.push({
      reason: enc?.in_transit === false ? 'data travels unencrypted' : 'encryption in transit is not declared',
      severity: bySensitivity(effective, 'high', 'medium', 'low'),
      status: enc?.in_transit === false ? 'fail' : 'partial',
    });
  }
  const keyNote = enc?.key !== undefined ? ` with ${enc.key} keys` : '';
  return worstOf(problems, evidence) ?? pass(`encrypted at rest${keyNote} and in transit`, evidence);
};

export const clientIsolationCheck: Check = (ctx, asset) => {
  if (asset === undefined) return notApplicable('applies to assets');
  const reach = reachOf(ctx, asset);
  const clients = [...reach.clients].sort();
  const effective = effectiveClassification(ctx, asset);
  const evidence: EvidenceRef[] = [{ kind: 'lineage', summary: clients.length ? `carries data of ${clients.join(', ')}` : 'carries no client data' }];
  if (clients.length > 1) {
    // Mixing data inside one artefact (a model, a dataset) cannot be undone; a shared environment
    // or service can be split, so it is one step less severe.
    const mixed = asset.kind === 'model' || asset.kind === 'dataset' || asset.kind === 'storage';
    const verb = asset.kind === 'model' ? 'trained on' : mixed ? 'holds' : 'reads';
    const severity = mixed ? bySensitivity(effective, 'critical', 'high', 'medium') : bySensitivity(effective, 'high', 'medium', 'low');
    return gap('fail', `${verb} data of ${clients.length} clients (${clients.join(', ')}): one client's data can reach another`, severity, evidence, 'cross-client-data');
  }
  const declaredClients = asset.clients ?? [];
  const foreign = declaredClients.length > 0 ? clients.filter((c) => !declaredClients.includes(c)) : [];
  if (foreign.length > 0) {
    return gap('fail', `serves ${declaredClients.join(', ')} but carries data of ${foreign.join(', ')}`, bySensitivity(effective, 'critical', 'high', 'medium'), evidence, 'cross-client-data');
  }
  return pass(clients.length === 1 ? `single client: ${clients[0]}` : 'no client data', evidence);
};

export const retentionCheck: Check = (ctx, asset) => {
  if (asset === undefined) return notApplicable('applies to assets');
  const reach = reachOf(ctx, asset);
  const effective = effectiveClassification(ctx, asset);
  if (reach.clients.size === 0 && !isSensitive(effective)) return notApplicable('holds no client or sensitive data');
  const days = asset.controls?.retention_days;
  if (days === undefined) {
    return gap('fail', 'no retention period: client data is kept indefinitely', isSensitive(effective) ? 'medium' : 'low', [declared(asset, 'controls.retention_days', 'not declared')]);
  }
  return pass(`deleted after ${days} days`, [declared(asset, 'controls.retention_days', `${days} days`)]);
};

export const accessLoggingCheck: Check = (ctx, asset) => {
  if (asset === undefined) return notApplicable('applies to assets');
  const logging = asset.controls?.access_logging;
  const effective = effectiveClassification(ctx, asset);
  const required = ctx.workspace.organisation.policy?.require_audit_logging === true;
  const evidence = [declared(asset, 'controls.access_logging', logging === undefined ? 'not declared' : String(logging))];
  if (logging === true) return pass('access is logged', evidence);
  const severity: Severity = effective === 'restricted' || (required && isSensitive(effective)) ? 'high' : isSensitive(effective) || required ? 'medium' : 'low';
  const why = required ? ' (required by organisation policy)' : '';
  return gap('fail', logging === false ? `access is not logged${why}` : `access logging is not declared${why}`, severity, evidence);
};

export const DATA_CHECKS: Readonly<Record<string, Check>> = {
  classification: classificationCheck,
  'access-restricted': accessRestrictedCheck,
  encryption: encryptionCheck,
  'client-isolation': clientIsolationCheck,
  retention: retentionCheck,
  'access-logging': accessLoggingCheck,
};

export type { CheckOutcome };
