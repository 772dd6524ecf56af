/**
 * Reading access lists: who an entry (`person`, `role:NAME`, `everyone`) admits, and which list
 * governs each operation on a model. Pure functions over a validated workspace.
 */
import type { Asset, ModelPermission, Person, Workspace } from '../domain/index.js';
import { EVERYONE, ROLE_PREFIX } from './workspace-references.js';

/** Whether `entries` admit the person. Leavers (`active: false`) are admitted by nothing. */
export function accessAdmits(entries: readonly string[], person: Person): boolean {
  if (person.active === false) return false;
  for (const entry of entries) {
    if (entry === EVERYONE || entry === person.id) return true;
    if (entry.startsWith(ROLE_PREFIX) && person.roles.includes(entry.slice(ROLE_PREFIX.length))) return true;
  }
  return false;
}

export interface ModelAccessList {
  /** The entries in force, or undefined when none is declared (see `source`). */
  readonly entries: readonly string[] | undefined;
  /** Where they come from: `model_access.<permission>`, the asset's `access` list, or nothing. */
  readonly source: string;
}

/**
 * The list that governs `permission` on a model asset. `read` and `export` fall back to the
 * asset's `controls.access` (the list that has always meant "who may use this artefact");
 * `promote` never falls back — moving weights to production is granted explicitly or not at all;
 * `review` undefined means any active person of the workspace.
 */
export function modelAccessList(asset: Asset, permission: ModelPermission): ModelAccessList {
  const declared = asset.controls?.model_access?.[permission];
  if (declared !== undefined) return { entries: declared, source: `controls.model_access.${permission}` };
  if ((permission === 'read' || permission === 'export') && asset.controls?.access !== undefined) {
    return { entries: asset.controls.access, source: 'controls.access' };
  }
  return { entries: undefined, source: 'not declared' };
}

export function findPerson(ws: Workspace, id: string): Person | undefined {
  return ws.people.find((p) => p.id === id);
}

/** The model asset a registry name refers to: the `model` asset with that id. */
export function modelAssetNamed(ws: Workspace, name: string): Asset | undefined {
  return ws.assets.find((a) => a.id === name && a.kind === 'model');
}
