/**
 * The deployment gate: may this version move to this stage, for these clients, by this person?
 * A pure function over evidence gathered beforehand (signature verification of the copied files,
 * their digests, a fresh scan, the recorded reviews and exceptions). Every condition is evaluated
 * and every failed one is reported, so one refusal tells the whole story.
 *
 * Conditions (staging needs all but the review; production needs all):
 *   stage       the version moves up (development → staging → production);
 *   permission  the promoter is an active person admitted by the model's `model_access.promote`;
 *   signature   the signature verifies against a trusted, unexpired workspace key;
 *   integrity   the copied files are exactly the registered ones, all covered by the signature,
 *               and the signature bundle is the one registered;
 *   scan        a scan of the copied files found nothing at or above high, and did not fail;
 *   review      (production) an approval by an active person other than the promoter, allowed
 *               to review, and no reviewer's latest word is a rejection;
 *   client-data every client whose data the model carries may serve each target client: the same
 *               client, or an unexpired exception approved by someone other than the promoter.
 */
import { atOrAbove, effectiveReviews, modelRef, modelStageRank } from '../domain/index.js';
import type {
  Asset,
  DeploymentExceptionRecord,
  GateCheck,
  GateCheckId,
  ModelReviewRecord,
  ModelStage,
  ModelVersionRecord,
  SignatureCheck,
  Workspace,
} from '../domain/index.js';
import type { NewModelScan } from '../store/index.js';
import { accessAdmits, findPerson, modelAccessList } from '../workspace/index.js';

/** Findings at or above this severity keep a model out of staging and production. */
export const GATE_SCAN_THRESHOLD = 'high';

export interface IntegrityEvidence {
  readonly changed: readonly string[];
  readonly missing: readonly string[];
  readonly unreadable: readonly { readonly path: string; readonly reason: string }[];
  /** Copied files the signature leaves out (its ignore list covers them). */
  readonly uncovered: readonly string[];
  /** The signature bundle's bytes differ from the ones registered (undefined: unsigned). */
  readonly signatureChanged?: boolean;
}

export interface GateInput {
  readonly workspace: Workspace;
  readonly version: ModelVersionRecord;
  /** The workspace model asset of the version's name, if any. */
  readonly asset: Asset | undefined;
  readonly promoter: string;
  readonly toStage: ModelStage;
  readonly targetClients: readonly string[];
  /** Where the target clients came from, for messages (`--for`, `the asset's clients`). */
  readonly targetClientsFrom: string;
  /** Clients whose data the model carries (registration lineage ∪ current lineage). */
  readonly dataClients: readonly string[];
  readonly signature: SignatureCheck;
  readonly integrity: IntegrityEvidence;
  readonly scan: NewModelScan;
  readonly reviews: readonly ModelReviewRecord[];
  readonly exceptions: readonly DeploymentExceptionRecord[];
  /** YYYY-MM-DD. */
  readonly today: string;
}

export interface GateDecision {
  readonly allowed: boolean;
  readonly checks: GateCheck[];
  /** The details of the failed checks, in gate order. */
  readonly reasons: string[];
}

const list = (items: readonly string[], max = 8): string =>
  items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;

export function evaluateDeploymentGate(input: GateInput): GateDecision {
  const checks: GateCheck[] = [];
  const add = (id: GateCheckId, ok: boolean, detail: string): void => {
    checks.push({ id, ok, detail });
  };
  checkStage(input, add);
  checkPermission(input, add);
  checkSignature(input, add);
  checkIntegrity(input, add);
  checkScan(input, add);
  checkReview(input, add);
  checkClientData(input, add);
  const reasons = checks.filter((c) => !c.ok).map((c) => c.detail);
  return { allowed: reasons.length === 0, checks, reasons };
}

type Add = (id: GateCheckId, ok: boolean, detail: string) => void;

function checkStage({ version, toStage }: GateInput, add: Add): void {
  if (modelStageRank(toStage) <= modelStageRank(version.stage)) {
    add('stage', false, `${modelRef(version.name, version.version)} is already in ${version.stage}; it can only be promoted to a later stage`);
  } else {
    add('stage', true, `${version.stage} → ${toStage}`);
  }
}

function checkPermission({ workspace, asset, promoter, version }: GateInput, add: Add): void {
  const person = findPerson(workspace, promoter);
  if (person === undefined) {
    add('permission', false, `${promoter} is not a person of the workspace`);
    return;
  }
  if (person.active === false) {
    add('permission', false, `${promoter} is no longer active in the workspace and may not promote models`);
    return;
  }
  if (asset === undefined) {
    add('permission', false, `${version.name} is not a model asset of the workspace, so nobody is allowed to promote it: declare it under assets (kind: model) with controls.model_access.promote`);
    return;
  }
  const { entries } = modelAccessList(asset, 'promote');
  if (entries === undefined) {
    add('permission', false, `nobody may promote ${asset.id}: controls.model_access.promote is not declared`);
  } else if (!accessAdmits(entries, person)) {
    add('permission', false, `${promoter} may not promote ${asset.id} (controls.model_access.promote: ${list(entries)})`);
  } else {
    add('permission', true, `${promoter} may promote ${asset.id}`);
  }
}

function checkSignature({ signature }: GateInput, add: Add): void {
  switch (signature.status) {
    case 'verified':
      add('signature', true, signature.detail);
      return;
    case 'unsigned':
      add('signature', false, "the version is not signed: sign it with 'warden model sign' and register it again with --signature");
      return;
    default:
      add('signature', false, signature.detail);
  }
}

function checkIntegrity({ integrity, version }: GateInput, add: Add): void {
  let ok = true;
  if (integrity.changed.length > 0 || integrity.missing.length > 0 || integrity.unreadable.length > 0) {
    ok = false;
    const parts: string[] = [];
    if (integrity.changed.length > 0) parts.push(`changed: ${list(integrity.changed)}`);
    if (integrity.missing.length > 0) parts.push(`missing: ${list(integrity.missing)}`);
    if (integrity.unreadable.length > 0) parts.push(`unreadable: ${list(integrity.unreadable.map((u) => `${u.path} (${u.reason})`))}`);
    add('integrity', false, `the files differ from those registered on ${version.registeredAt.slice(0, 10)}; ${parts.join('; ')}`);
  }
  if (integrity.uncovered.length > 0) {
    ok = false;
    add('integrity', false, `files not covered by the signature would be deployed: ${list(integrity.uncovered)}`);
  }
  if (integrity.signatureChanged === true) {
    ok = false;
    add('integrity', false, 'the signature bundle is not the one registered with this version; register a new version with the new signature');
  }
  if (ok) add('integrity', true, `${version.fileCount} file(s) match the digests registered on ${version.registeredAt.slice(0, 10)}`);
}

function checkScan({ scan }: GateInput, add: Add): void {
  if (scan.error !== null) {
    add('scan', false, `the model scan failed (${scan.error}); a failed scan is never a clean one`);
    return;
  }
  const blocking = scan.findings.filter((f) => atOrAbove(f.severity, GATE_SCAN_THRESHOLD));
  const count = scan.counts.critical + scan.counts.high;
  if (count > 0) {
    const shown = blocking.slice(0, 3).map((f) => `${f.severity} ${f.ruleId} in ${f.path}`);
    add('scan', false, `the model scan found ${count} finding(s) at or above ${GATE_SCAN_THRESHOLD}: ${shown.join('; ')}${count > shown.length ? ' …' : ''}`);
    return;
  }
  const lower = scan.counts.medium + scan.counts.low + scan.counts.info;
  add('scan', true, `no finding at or above ${GATE_SCAN_THRESHOLD}${lower > 0 ? ` (${lower} lower)` : ''}${scan.unscannable > 0 ? `, ${scan.unscannable} input(s) could not be fully scanned` : ''}`);
}

function checkReview({ workspace, asset, promoter, reviews, toStage, version }: GateInput, add: Add): void {
  if (toStage !== 'production') {
    add('review', true, `a security review is required for production, not for ${toStage}`);
    return;
  }
  const ref = modelRef(version.name, version.version);
  const inForce = effectiveReviews(reviews);
  const rejections = inForce.filter((r) => r.decision === 'rejected');
  for (const r of rejections) add('review', false, `${ref} was rejected by ${r.by} on ${r.at.slice(0, 10)}: ${r.note}`);
  const reviewList = asset === undefined ? undefined : modelAccessList(asset, 'review').entries;
  const ignored: string[] = [];
  const counted = inForce.filter((r) => {
    if (r.decision !== 'approved') return false;
    const person = findPerson(workspace, r.by);
    if (r.by === promoter) ignored.push(`${r.by} (the promoter cannot approve their own promotion)`);
    else if (person === undefined || person.active === false) ignored.push(`${r.by} (no longer an active person of the workspace)`);
    else if (reviewList !== undefined && !accessAdmits(reviewList, person)) ignored.push(`${r.by} (not in controls.model_access.review)`);
    else return true;
    return false;
  });
  if (counted.length === 0) {
    const why = ignored.length > 0 ? `; approvals that do not count: ${ignored.join(', ')}` : '';
    add('review', false, `no approved security review of ${ref} by someone other than ${promoter}${why} (record one with 'warden model review ${ref} --approve --by PERSON --note …')`);
    return;
  }
  if (rejections.length === 0) add('review', true, `approved by ${counted.map((r) => `${r.by} on ${r.at.slice(0, 10)}`).join(', ')}`);
}

function checkClientData(input: GateInput, add: Add): void {
  const { asset, version, dataClients, targetClients, targetClientsFrom, exceptions, promoter, today, workspace } = input;
  const ref = modelRef(version.name, version.version);
  if (asset === undefined) {
    add('client-data', false, `whose data ${ref} was trained on is unknown: ${version.name} is not a model asset of the workspace with lineage`);
    return;
  }
  if (dataClients.length === 0) {
    add('client-data', true, 'the model carries no client data (lineage)');
    return;
  }
  if (targetClients.length === 0) {
    add('client-data', false, `${ref} carries data of ${list(dataClients)} but the deployment names no client; say whom it serves with --for CLIENT`);
    return;
  }
  const notes: string[] = [];
  let ok = true;
  for (const target of targetClients) {
    const foreign = dataClients.filter((c) => c !== target);
    if (foreign.length === 0) continue;
    const candidates = exceptions.filter((e) => e.client === target && foreign.every((c) => e.dataClients.includes(c)));
    const valid = candidates.filter((e) => {
      const approver = findPerson(workspace, e.approvedBy);
      return e.expiresOn >= today && e.approvedBy !== promoter && approver !== undefined && approver.active !== false;
    });
    const best = valid.sort((a, b) => b.expiresOn.localeCompare(a.expiresOn))[0];
    if (best !== undefined) {
      notes.push(`data of ${list(foreign)} may serve ${target} under exception #${best.id} approved by ${best.approvedBy} until ${best.expiresOn}`);
      continue;
    }
    ok = false;
    const why = candidates.map((e) =>
      e.expiresOn < today
        ? `exception #${e.id} expired on ${e.expiresOn}`
        : e.approvedBy === promoter
          ? `exception #${e.id} was approved by the promoter`
          : `exception #${e.id}'s approver ${e.approvedBy} is no longer active`,
    );
    add(
      'client-data',
      false,
      `${ref} carries data of ${list(foreign)} and would serve ${target} (${targetClientsFrom}); a model trained on one client's data is not deployed for another without a recorded exception${why.length > 0 ? ` (${why.join('; ')})` : ''}: 'warden model exception ${ref} --client ${target} …'`,
    );
  }
  if (ok) add('client-data', true, notes.length > 0 ? notes.join('; ') : `serves ${list(targetClients)}; carries data of ${list(dataClients)} only`);
}
