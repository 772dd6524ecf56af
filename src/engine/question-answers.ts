/**
 * The five questions of the one-day assessment, answered for one asset in plain words from the
 * declarations, the evidence and the control results. The verdict comes from the controls that
 * answer each question (the catalog's `answers` field), so the answer and the gap list agree.
 */
import type {
  AnswerVerdict,
  Asset,
  BlastRadius,
  Control,
  EvidenceRef,
  Question,
  QuestionAnswer,
} from '../domain/index.js';
import { expandAccess, listNames, plural } from './assessment-context.js';
import type { AssessmentContext } from './assessment-context.js';
import { formatHours } from './blast-radius.js';
import type { EvaluatedControl } from './control-evaluator.js';

function verdictOf(results: readonly EvaluatedControl[]): AnswerVerdict {
  const active = results.filter((r) => r.status !== 'not-applicable');
  if (active.length === 0) return 'unknown';
  if (active.some((r) => r.status === 'fail' && (r.severity === 'critical' || r.severity === 'high'))) return 'bad';
  if (active.some((r) => r.status === 'fail' || r.status === 'partial')) return 'weak';
  if (active.every((r) => r.status === 'pass')) return 'good';
  return 'unknown';
}

function relatedEvidence(results: readonly EvaluatedControl[]): EvidenceRef[] {
  return results.flatMap((r) => r.evidence).slice(0, 4);
}

/** Probe rules that prove access without credentials (probe/jupyter-unauthenticated, …). */
const UNAUTHENTICATED_RULE = /^probe\/.*unauthenticated/;

function accessAnswer(ctx: AssessmentContext, asset: Asset): string {
  const c = asset.controls;
  const parts: string[] = [];
  if (c?.access === undefined || c.access.length === 0) {
    parts.push('Unknown: no access list is declared');
  } else {
    const { people, everyone } = expandAccess(ctx, c.access);
    parts.push(everyone ? `Everyone in the organisation (${plural(people.length, 'person', 'people')})` : `${plural(people.length, 'person', 'people')}: ${listNames(people.map((p) => p.id), 8)}`);
  }
  if (c?.exposure === 'internet') {
    parts.push(c.authentication === undefined || c.authentication === 'none' ? 'and anyone on the internet: no authentication' : `reachable from the internet behind ${c.authentication}`);
  } else if (c?.exposure !== undefined) {
    parts.push(`${c.exposure} network${c.authentication ? `, ${c.authentication} authentication` : ''}`);
  }
  // What a live probe proved outranks what was declared: it got in without credentials.
  const probed = ctx.evidence.get('probe')?.get(asset.id);
  const openDoors = probed?.findings.filter((f) => UNAUTHENTICATED_RULE.test(f.ruleId)) ?? [];
  if (openDoors.length > 0) {
    parts.push(`and anyone who can reach it: a live probe was answered without credentials (${listNames([...new Set(openDoors.map((f) => f.ruleId))], 3)})`);
  }
  return parts.join('; ');
}

function encryptionAnswer(asset: Asset): string {
  const e = asset.controls?.encryption;
  const rest = e?.at_rest === undefined ? 'not declared' : e.at_rest ? `yes${e.key ? ` (${e.key} key)` : ''}` : 'NO';
  const transit = e?.in_transit === undefined ? (asset.controls?.tls === true ? 'yes (TLS)' : 'not declared') : e.in_transit ? 'yes' : 'NO';
  return `At rest: ${rest}; in transit: ${transit}`;
}

function loggingAnswer(asset: Asset): string {
  const l = asset.controls?.access_logging;
  return l === undefined ? 'Not declared: assume access is not logged' : l ? 'Yes: access is logged' : 'No: access is not logged';
}

/** Kinds that run code and so have an operating-system or service hardening baseline. */
const RUNS_CODE: ReadonlySet<string> = new Set(['training-environment', 'notebook-server', 'pipeline', 'inference-endpoint', 'model-registry', 'monitoring']);

function hardeningAnswer(ctx: AssessmentContext, asset: Asset): string {
  const c = asset.controls;
  const parts = RUNS_CODE.has(asset.kind) || c?.hardening !== undefined ? [`Baseline: ${c?.hardening ?? 'not declared'}`] : [];
  if (c?.exposure !== undefined) parts.push(`exposure: ${c.exposure}`);
  if (c?.authentication !== undefined) parts.push(`authentication: ${c.authentication}`);
  for (const [kind, byAsset] of ctx.evidence) {
    const e = byAsset.get(asset.id);
    if (e === undefined) continue;
    const serious = e.findings.filter((f) => f.severity === 'critical' || f.severity === 'high').length;
    parts.push(`${kind}: ${e.error ? `failed (${e.error})` : `${plural(e.findings.length, 'finding')}${serious ? `, ${serious} high or critical` : ''}`}`);
  }
  if (parts.length === 0) return 'Nothing declared about exposure or hardening';
  const text = parts.join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function blastAnswer(radius: BlastRadius): string {
  if (radius.clients.length === 0 && radius.records === 0) {
    return radius.downstreamCount > 0 ? `No client data; ${plural(radius.downstreamCount, 'asset')} built on it would be affected` : 'No client data is reachable';
  }
  const records = radius.records > 0 ? `${radius.recordsLowerBound ? 'at least ' : ''}${plural(radius.records, 'record')}` : 'an unknown number of records';
  const cls = radius.highestClassification ? ` ${radius.highestClassification}` : '';
  const cats = radius.dataCategories.length ? ` (${radius.dataCategories.join(', ')})` : '';
  const parts = [`Exposes${cls} data of ${listNames(radius.clients)}${cats}: ${records}`];
  if (radius.downstreamCount > 0) parts.push(`${radius.downstreamLowerBound ? 'at least ' : ''}${plural(radius.downstreamCount, 'downstream asset')} affected`);
  const first = radius.notifications[0];
  if (first !== undefined) {
    parts.push(`notify ${first.audience} within ${formatHours(first.deadlineHours)} (${first.regime === 'contract' ? 'contract' : first.regime.toUpperCase()})` + (radius.notifications.length > 1 ? `; ${radius.notifications.length - 1} more duties` : ''));
  }
  return parts.join('; ');
}

export function answerQuestions(
  ctx: AssessmentContext,
  asset: Asset,
  results: readonly EvaluatedControl[],
  controls: ReadonlyMap<string, Control>,
  radius: BlastRadius,
): QuestionAnswer[] {
  const about = (q: Question): EvaluatedControl[] => results.filter((r) => controls.get(r.controlId)?.answers.includes(q) === true);
  const make = (question: Question, answer: string, verdict?: AnswerVerdict): QuestionAnswer => {
    const related = about(question);
    return { question, verdict: verdict ?? verdictOf(related), answer, evidence: relatedEvidence(related) };
  };
  const sensitive = radius.highestClassification === 'restricted' || radius.highestClassification === 'confidential';
  const blastVerdict: AnswerVerdict = !sensitive ? 'good' : results.some((r) => r.status === 'fail' && (r.severity === 'critical' || r.severity === 'high')) ? 'bad' : 'weak';
  return [
    make('access', accessAnswer(ctx, asset)),
    make('encryption', encryptionAnswer(asset)),
    make('logging', loggingAnswer(asset)),
    make('hardening', hardeningAnswer(ctx, asset)),
    make('blast-radius', blastAnswer(radius), blastVerdict),
  ];
}
