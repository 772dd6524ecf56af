/**
 * "What happens if this system is compromised?" — which clients' data and how many records are
 * reachable through lineage, and which notification duties would start.
 *
 * Deadlines are the published ones (cited per regime). The agency is usually its clients'
 * processor or business associate, so the first duty is to tell the client; the client's own
 * deadline to the regulator is shown because it is what the client will hold the agency to.
 */
import type { Asset, BlastRadius, Client, NotificationDuty, Regime } from '../domain/index.js';
import { classificationFromRank, recordsOf } from '../lineage/index.js';
import type { AssessmentContext } from './assessment-context.js';

interface DutyRule {
  readonly audience: string;
  readonly deadlineHours: number;
  readonly basis: string;
}

export const NOTIFICATION_RULES: Partial<Readonly<Record<Regime, DutyRule>>> = {
  // 45 CFR 164.410: a business associate notifies the covered entity without unreasonable delay and
  // no later than 60 calendar days after discovery; 164.404 gives the covered entity the same limit.
  hipaa: { audience: 'the covered entity (client), then individuals and HHS', deadlineHours: 60 * 24, basis: 'HIPAA Breach Notification Rule, 45 CFR 164.404–164.410: no later than 60 days after discovery' },
  // GDPR Art. 33(1)/(2): controller to supervisory authority within 72 hours; processor to controller without undue delay.
  gdpr: { audience: 'the controller (client), who must tell the supervisory authority', deadlineHours: 72, basis: 'GDPR Art. 33: supervisory authority within 72 hours; processor informs controller without undue delay' },
  'uk-gdpr': { audience: 'the controller (client), who must tell the ICO', deadlineHours: 72, basis: 'UK GDPR Art. 33: ICO within 72 hours' },
  // 16 CFR 314.4(j) (FTC Safeguards Rule, amended 2023): FTC within 30 days for 500 or more consumers.
  glba: { audience: 'the FTC (500 or more consumers affected)', deadlineHours: 30 * 24, basis: 'FTC Safeguards Rule, 16 CFR 314.4(j): within 30 days of discovery' },
  // Shortest fixed statutory windows among US state laws are 30 days (e.g. Colorado, Florida, Washington).
  'us-state-breach': { audience: 'affected residents and, above thresholds, state attorneys general', deadlineHours: 30 * 24, basis: 'US state breach laws: shortest fixed deadline 30 days (e.g. Colorado, Florida, Washington)' },
  ccpa: { audience: 'affected California residents', deadlineHours: 30 * 24, basis: 'Cal. Civ. Code 1798.82: most expedient time possible; planned against the 30-day state floor' },
  // PCI DSS 12.10.1: the incident response plan includes notifying the payment brands and acquirers.
  'pci-dss': { audience: 'the acquiring bank and payment brands', deadlineHours: 24, basis: 'PCI DSS 12.10.1 and card-brand rules: immediately; planned as 24 hours' },
  // EU AI Act Art. 73: serious incidents by providers of high-risk AI systems, within 15 days at the latest.
  'eu-ai-act': { audience: 'the market surveillance authority (serious incidents of high-risk AI)', deadlineHours: 15 * 24, basis: 'EU AI Act Art. 73: no later than 15 days after awareness' },
};

/**
 * Duties come from the regimes of the clients whose data is reached (their data decides which laws
 * apply) and from their contracts.
 */
export function notificationDuties(clients: readonly Client[]): NotificationDuty[] {
  const byRegime = new Map<string, { rule: DutyRule; regime: Regime; clients: string[] }>();
  for (const client of clients) {
    for (const regime of new Set([...client.regimes])) {
      const rule = NOTIFICATION_RULES[regime];
      if (rule === undefined) continue;
      const entry = byRegime.get(regime) ?? { rule, regime, clients: [] };
      entry.clients.push(client.id);
      byRegime.set(regime, entry);
    }
  }
  const duties: NotificationDuty[] = [...byRegime.values()].map(({ rule, regime, clients: ids }) => ({
    regime,
    audience: rule.audience,
    deadlineHours: rule.deadlineHours,
    basis: rule.basis,
    clients: ids,
  }));
  for (const client of clients) {
    if (client.notification_hours !== undefined) {
      duties.push({ regime: 'contract', audience: `${client.name} (contract)`, deadlineHours: client.notification_hours, basis: `contract with ${client.name}`, clients: [client.id] });
    }
  }
  return duties.sort((a, b) => a.deadlineHours - b.deadlineHours || a.regime.localeCompare(b.regime));
}

/** Many assets reach the same clients; their duties are computed once per distinct client list. */
const dutiesMemo = new WeakMap<ReadonlyMap<string, Client>, Map<string, NotificationDuty[]>>();

export function blastRadiusOf(ctx: AssessmentContext, asset: Asset, clientsById: ReadonlyMap<string, Client>): BlastRadius {
  const i = ctx.graph.indexOf(asset.id);
  const reach = ctx.reach[i];
  if (reach === undefined) throw new Error(`no lineage reach for ${asset.id}`);
  const clientIds = reach.clients.size < 2 ? [...reach.clients] : [...reach.clients].sort();
  const clients = clientIds.map((id) => clientsById.get(id)).filter((c): c is Client => c !== undefined);
  const sources = [...reach.sources].map((j) => ctx.graph.assets[j]?.id ?? '').filter((id) => id !== '');
  const downstream = ctx.graph.downstream(i);
  const highest = classificationFromRank(reach.classification);
  return {
    dataSources: sources.slice(0, 100),
    dataSourceCount: sources.length,
    clients: clientIds,
    records: recordsOf(ctx.graph, reach),
    recordsLowerBound: reach.unknownSize || reach.sourcesTruncated,
    ...(highest !== undefined && { highestClassification: highest }),
    dataCategories: [...reach.categories].sort(),
    downstream: downstream.ids,
    downstreamCount: downstream.count,
    downstreamLowerBound: downstream.truncated,
    notifications: memoDuties(clientsById, clientIds, clients),
  };
}

function memoDuties(clientsById: ReadonlyMap<string, Client>, sortedIds: readonly string[], clients: readonly Client[]): NotificationDuty[] {
  let memo = dutiesMemo.get(clientsById);
  if (memo === undefined) {
    memo = new Map();
    dutiesMemo.set(clientsById, memo);
  }
  const key = sortedIds.join('\u0000');
  let duties = memo.get(key);
  if (duties === undefined) {
    duties = notificationDuties(clients);
    memo.set(key, duties);
  }
  return duties;
}

export function formatHours(hours: number): string {
  if (hours % 24 === 0 && hours >= 48) return `${hours / 24} days`;
  return `${hours} hours`;
}
