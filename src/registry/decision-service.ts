/**
 * Recording the human decisions the gate relies on: security reviews and cross-client deployment
 * exceptions. Both are appended, never edited; a change of mind is a new record (a reviewer's
 * latest word counts, an exception simply expires).
 *
 * Rules, so that a review means a second pair of eyes: the person who registered a version may
 * not approve it (they may reject it); a declared `model_access.review` list limits who may
 * review; leavers may not act. The gate adds the promoter's side: an approval by the person
 * promoting never counts, nor an exception they approved themselves.
 */
import { WardenError, modelRef } from '../domain/index.js';
import type { DeploymentExceptionRecord, ModelReviewRecord, ReviewDecision } from '../domain/index.js';
import { accessAdmits, modelAccessList, modelAssetNamed } from '../workspace/index.js';
import { checkIsoDate } from './model-inputs.js';
import { modelLineage } from './model-lineage.js';
import { activePerson, clock, knownClient, todayOf } from './registry-context.js';
import type { RegistryContext } from './registry-context.js';

const MAX_NOTE_CHARS = 4000;

function checkText(text: string, flag: string): string {
  const trimmed = text.trim();
  if (trimmed === '') throw new WardenError('USAGE', `${flag} must say why (it is kept with the decision)`);
  if (trimmed.length > MAX_NOTE_CHARS) throw new WardenError('USAGE', `${flag} is longer than ${MAX_NOTE_CHARS} characters`);
  return trimmed;
}

export interface ReviewInput {
  readonly name: string;
  readonly version: string;
  readonly decision: ReviewDecision;
  readonly by: string;
  readonly note: string;
}

export async function reviewModelVersion(ctx: RegistryContext, input: ReviewInput): Promise<ModelReviewRecord> {
  const person = activePerson(ctx, input.by, '--by', 'review models');
  const note = checkText(input.note, '--note');
  const version = await ctx.models.get(input.name, input.version);
  const ref = modelRef(version.name, version.version);
  if (input.decision === 'approved' && version.registeredBy === person.id) {
    throw new WardenError('GATE_REFUSED', `${person.id} registered ${ref} and may not approve its security review: someone else must review it`, {
      details: { person: person.id, name: version.name, version: version.version },
    });
  }
  const asset = modelAssetNamed(ctx.loaded.workspace, version.name);
  const reviewers = asset === undefined ? undefined : modelAccessList(asset, 'review').entries;
  if (reviewers !== undefined && !accessAdmits(reviewers, person)) {
    throw new WardenError('GATE_REFUSED', `${person.id} may not review ${ref} (controls.model_access.review: ${reviewers.join(', ')})`, {
      details: { person: person.id },
    });
  }
  return ctx.models.addReview(version.name, version.version, { decision: input.decision, by: person.id, note, at: clock(ctx)().toISOString() });
}

export interface ExceptionInput {
  readonly name: string;
  readonly version: string;
  /** The client the version may be deployed for. */
  readonly client: string;
  /** The other clients whose data it may carry there; default: all it carries. */
  readonly dataClients?: readonly string[];
  readonly approvedBy: string;
  readonly reason: string;
  readonly expiresOn: string;
}

export async function recordDeploymentException(ctx: RegistryContext, input: ExceptionInput): Promise<DeploymentExceptionRecord> {
  const client = knownClient(ctx, input.client, '--client');
  const approver = activePerson(ctx, input.approvedBy, '--approved-by', 'approve exceptions');
  const reason = checkText(input.reason, '--reason');
  const expiresOn = checkIsoDate(input.expiresOn, '--expires');
  const today = todayOf(ctx);
  if (expiresOn < today) throw new WardenError('USAGE', `--expires ${expiresOn} is in the past (today is ${today})`);
  const version = await ctx.models.get(input.name, input.version);
  const ref = modelRef(version.name, version.version);
  const carried = new Set(version.dataClients);
  const asset = modelAssetNamed(ctx.loaded.workspace, version.name);
  if (asset !== undefined) for (const c of modelLineage(ctx.loaded.workspace, asset.id).dataClients) carried.add(c);
  const foreign = [...carried].filter((c) => c !== client).sort();
  let dataClients: string[];
  if (input.dataClients !== undefined && input.dataClients.length > 0) {
    dataClients = [...new Set(input.dataClients.map((c) => knownClient(ctx, c, '--data-client')))].sort();
    if (dataClients.includes(client)) throw new WardenError('USAGE', `--data-client ${client} is the client served; an exception covers other clients' data`);
  } else {
    if (foreign.length === 0) {
      throw new WardenError('USAGE', `${ref} carries no data of clients other than ${client} (lineage: ${[...carried].join(', ') || 'no client data'}); no exception is needed`);
    }
    dataClients = foreign;
  }
  return ctx.models.addException(version.name, version.version, {
    client,
    dataClients,
    approvedBy: approver.id,
    reason,
    expiresOn,
    recordedAt: clock(ctx)().toISOString(),
  });
}
