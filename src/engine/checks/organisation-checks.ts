/**
 * Organisation-wide checks for pillars 4 and 5: roles, training, regulatory mapping and client
 * obligations. They look at people and clients rather than at one asset.
 */
import type { Person, Regime, Severity } from '../../domain/index.js';
import { effectiveClassification, isSensitive, listNames, plural } from '../assessment-context.js';
import type { AssessmentContext } from '../assessment-context.js';
import { declared, gap, pass, worstOf } from './check-types.js';
import type { Check } from './check-types.js';

/** Without a policy, one year of security-awareness training is the baseline. */
const DEFAULT_COURSES = ['security-awareness'];
const DEFAULT_VALIDITY_DAYS = 365;

export const securityRolesCheck: Check = (ctx) => {
  const leads = ctx.peopleByRole.get('security-lead') ?? [];
  const problems: { reason: string; severity: Severity; status: 'fail' | 'partial' }[] = [];
  const activeLeads = leads.filter((p) => p.active !== false);
  if (activeLeads.length === 0) problems.push({ reason: 'nobody holds the security-lead role', severity: 'high', status: 'fail' });
  if (ctx.sizeProfile === 'large' && activeLeads.length === 1) {
    problems.push({ reason: 'a single security lead for a large organisation: name a deputy', severity: 'low', status: 'partial' });
  }
  const orphaned = ctx.workspace.assets.filter((a) => ctx.people.get(a.owner)?.active === false).map((a) => a.id);
  if (orphaned.length > 0) problems.push({ reason: `assets owned by inactive people: ${listNames(orphaned)}`, severity: 'medium', status: 'fail' });
  const evidence = [declared(undefined, 'people[].roles', `security leads: ${activeLeads.map((p) => p.id).join(', ') || 'none'}`)];
  return worstOf(problems, evidence) ?? pass(`security lead: ${listNames(activeLeads.map((p) => p.id))}; every asset has an active owner`, evidence);
};

/** People who can reach client data: engaged with a client, or on an access list of a data asset. */
function peopleWithDataAccess(ctx: AssessmentContext): Person[] {
  const ids = new Set<string>();
  for (const p of ctx.people.values()) if ((p.clients ?? []).length > 0) ids.add(p.id);
  for (const asset of ctx.workspace.assets) {
    for (const entry of asset.controls?.access ?? []) {
      if (!entry.startsWith('role:') && entry !== 'everyone') ids.add(entry);
    }
  }
  return [...ids].map((id) => ctx.people.get(id)).filter((p): p is Person => p !== undefined && p.active !== false);
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const trainingCurrentCheck: Check = (ctx) => {
  const courses = ctx.workspace.organisation.policy?.training_courses ?? DEFAULT_COURSES;
  const people = peopleWithDataAccess(ctx);
  const missing: string[] = [];
  const expired: string[] = [];
  for (const person of people) {
    for (const course of courses) {
      const records = (person.training ?? []).filter((t) => t.course === course && t.completed_on <= ctx.today);
      if (records.length === 0) {
        missing.push(`${person.id} (${course})`);
        continue;
      }
      const valid = records.some((t) => (t.expires_on ?? addDays(t.completed_on, DEFAULT_VALIDITY_DAYS)) >= ctx.today);
      if (!valid) expired.push(`${person.id} (${course})`);
    }
  }
  const evidence = [declared(undefined, 'people[].training', `${plural(people.length, 'person', 'people')} with access to client data; required: ${courses.join(', ')}`)];
  const problems: { reason: string; severity: Severity; status: 'fail' | 'partial' }[] = [];
  if (missing.length > 0) problems.push({ reason: `never trained: ${listNames(missing)}`, severity: 'medium', status: 'fail' });
  if (expired.length > 0) problems.push({ reason: `training expired: ${listNames(expired)}`, severity: 'medium', status: 'fail' });
  return worstOf(problems, evidence) ?? pass(`all ${plural(people.length, 'person', 'people')} with client-data access are trained`, evidence);
};

/** Data categories that imply a regime, whatever the client declared (published scope of each law). */
const CATEGORY_REGIMES: Readonly<Record<string, Regime>> = { phi: 'hipaa', payment: 'pci-dss' };

export const regimesCoveredCheck: Check = (ctx) => {
  const org = new Set(ctx.workspace.organisation.regimes);
  const missing = new Map<string, string[]>();
  for (const client of ctx.workspace.clients) {
    for (const regime of client.regimes) {
      if (!org.has(regime)) missing.set(regime, [...(missing.get(regime) ?? []), client.id]);
    }
  }
  const implied = new Map<string, string[]>();
  for (const asset of ctx.workspace.assets) {
    for (const category of asset.data_categories ?? []) {
      const regime = CATEGORY_REGIMES[category];
      if (regime !== undefined && !org.has(regime) && !missing.has(regime)) implied.set(regime, [...(implied.get(regime) ?? []), asset.id]);
    }
  }
  const evidence = [declared(undefined, 'organisation.regimes', [...org].join(', ') || 'none')];
  const problems: { reason: string; severity: Severity; status: 'fail' | 'partial' }[] = [];
  for (const [regime, clients] of missing) problems.push({ reason: `${regime} applies to ${listNames(clients)} but is not in organisation.regimes`, severity: 'medium', status: 'fail' });
  for (const [regime, assets] of implied) problems.push({ reason: `${regime} is implied by the data in ${listNames(assets)} but no client or organisation regime names it`, severity: 'low', status: 'partial' });
  return worstOf(problems, evidence) ?? pass(`every client regime is covered: ${[...org].join(', ')}`, evidence);
};

export const clientRequirementsCheck: Check = (ctx) => {
  const sensitiveClients = new Set<string>();
  for (const asset of ctx.workspace.assets) {
    if (isSensitive(effectiveClassification(ctx, asset))) for (const c of asset.clients ?? []) sensitiveClients.add(c);
  }
  const unknown = ctx.workspace.clients.filter((c) => sensitiveClients.has(c.id) && (c.requirements ?? []).length === 0).map((c) => c.id);
  const evidence = [declared(undefined, 'clients[].requirements', `${ctx.workspace.clients.filter((c) => (c.requirements ?? []).length > 0).length} of ${ctx.workspace.clients.length} clients list requirements`)];
  if (unknown.length > 0) {
    return gap('partial', `contractual requirements not recorded for clients with sensitive data: ${listNames(unknown)}`, 'low', evidence);
  }
  return pass('every client holding sensitive data has its requirements recorded', evidence);
};

export const ORGANISATION_CHECKS: Readonly<Record<string, Check>> = {
  'security-roles': securityRolesCheck,
  'training-current': trainingCurrentCheck,
  'regimes-covered': regimesCoveredCheck,
  'client-requirements': clientRequirementsCheck,
};
