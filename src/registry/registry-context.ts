/**
 * What the registry's operations share: the loaded workspace, the workspace's registry in the
 * store, the model scanner, a clock. And the identity rules: `--by` names a person of the
 * workspace (a typo is an input error, nothing is recorded); a person who has left (`active:
 * false`) may not act, and that refusal is a policy decision (GATE_REFUSED).
 */
import { WardenError } from '../domain/index.js';
import type { Person, Scanner } from '../domain/index.js';
import type { ModelRegistryRepository } from '../store/index.js';
import { findPerson, trustedKeyFiles } from '../workspace/index.js';
import type { LoadedWorkspace, TrustedKeyFiles } from '../workspace/index.js';

export interface RegistryContext {
  readonly loaded: LoadedWorkspace;
  readonly models: ModelRegistryRepository;
  /** The model scanner (`scan:models`), supplied by the caller. */
  readonly scanner: Scanner;
  readonly now?: () => Date;
  /** Hashing worker threads. */
  readonly workers?: number;
}

export function clock(ctx: RegistryContext): () => Date {
  return ctx.now ?? (() => new Date());
}

export function todayOf(ctx: RegistryContext): string {
  return clock(ctx)().toISOString().slice(0, 10);
}

/** The person behind `--by` (or another person flag); unknown ids are input errors. */
export function knownPerson(ctx: RegistryContext, id: string, flag: string): Person {
  const person = findPerson(ctx.loaded.workspace, id);
  if (person === undefined) {
    const known = ctx.loaded.workspace.people.map((p) => p.id);
    throw new WardenError('INPUT_INVALID', `${flag} ${id}: no such person in ${ctx.loaded.file} (people: ${known.slice(0, 12).join(', ') || 'none'})`, {
      details: { person: id },
    });
  }
  return person;
}

/** As `knownPerson`, and refuses someone who is no longer active. */
export function activePerson(ctx: RegistryContext, id: string, flag: string, action: string): Person {
  const person = knownPerson(ctx, id, flag);
  if (person.active === false) throw new WardenError('GATE_REFUSED', `${id} is no longer active in the workspace and may not ${action}`, { details: { person: id } });
  return person;
}

export function knownClient(ctx: RegistryContext, id: string, flag: string): string {
  if (!ctx.loaded.workspace.clients.some((c) => c.id === id)) {
    const known = ctx.loaded.workspace.clients.map((c) => c.id);
    throw new WardenError('INPUT_INVALID', `${flag} ${id}: no such client in ${ctx.loaded.file} (clients: ${known.join(', ') || 'none'})`, { details: { client: id } });
  }
  return id;
}

export function trustedKeys(ctx: RegistryContext): TrustedKeyFiles[] {
  return (ctx.loaded.workspace.model_signing?.trusted_keys ?? []).map((k) => trustedKeyFiles(k, ctx.loaded.dir));
}
