/**
 * Cross-reference checks the schema cannot express: ids are unique, and every reference (owner,
 * client, lineage, access entry, attestation) names something declared. A dangling reference in a
 * governance file silently weakens a control (an access entry for a person who left, lineage to
 * a dataset nobody declared), so each one is an error.
 */
import { posix } from 'node:path';
import { loadCatalog } from '../catalog/index.js';
import { MODEL_PERMISSIONS } from '../domain/index.js';
import type { Workspace } from '../domain/index.js';

const { normalize } = posix;

export interface ReferenceProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export const EVERYONE = 'everyone';
export const ROLE_PREFIX = 'role:';

function duplicates(
  items: readonly { id: string }[],
  section: string,
  problems: ReferenceProblem[],
): Map<string, number> {
  const index = new Map<string, number>();
  items.forEach((item, i) => {
    const first = index.get(item.id);
    if (first !== undefined) {
      problems.push({ path: [section, i, 'id'], message: `duplicate id "${item.id}" (first declared at ${section}[${first}])` });
    } else {
      index.set(item.id, i);
    }
  });
  return index;
}

export function crossCheckWorkspace(ws: Workspace): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const clients = duplicates(ws.clients, 'clients', problems);
  const people = duplicates(ws.people, 'people', problems);
  const assets = duplicates(ws.assets, 'assets', problems);
  const roles = new Set(ws.people.flatMap((p) => p.roles));
  const catalog = loadCatalog();

  ws.people.forEach((person, i) => {
    person.clients?.forEach((c, j) => {
      if (!clients.has(c)) problems.push({ path: ['people', i, 'clients', j], message: `unknown client "${c}"` });
    });
    person.training?.forEach((t, j) => {
      if (t.expires_on !== undefined && t.expires_on < t.completed_on) {
        problems.push({ path: ['people', i, 'training', j, 'expires_on'], message: 'expires before it was completed' });
      }
    });
  });

  ws.assets.forEach((asset, i) => {
    if (!people.has(asset.owner)) {
      problems.push({ path: ['assets', i, 'owner'], message: `unknown person "${asset.owner}" (owners must be declared under people)` });
    }
    asset.clients?.forEach((c, j) => {
      if (!clients.has(c)) problems.push({ path: ['assets', i, 'clients', j], message: `unknown client "${c}"` });
    });
    asset.controls?.access?.forEach((entry, j) => {
      const problem = checkAccessEntry(entry, people, roles);
      if (problem !== undefined) problems.push({ path: ['assets', i, 'controls', 'access', j], message: problem });
    });
    const modelAccess = asset.controls?.model_access;
    if (modelAccess !== undefined && asset.kind !== 'model' && asset.kind !== 'model-registry') {
      problems.push({ path: ['assets', i, 'controls', 'model_access'], message: `model_access applies to model and model-registry assets, not ${asset.kind}` });
    }
    for (const permission of MODEL_PERMISSIONS) {
      modelAccess?.[permission]?.forEach((entry, j) => {
        const problem = checkAccessEntry(entry, people, roles);
        if (problem !== undefined) problems.push({ path: ['assets', i, 'controls', 'model_access', permission, j], message: problem });
      });
    }
    for (const edge of ['derived_from', 'trained_on', 'reads'] as const) {
      asset.lineage?.[edge]?.forEach((target, j) => {
        if (!assets.has(target)) {
          problems.push({ path: ['assets', i, 'lineage', edge, j], message: `unknown asset "${target}"` });
        } else if (target === asset.id) {
          problems.push({ path: ['assets', i, 'lineage', edge, j], message: 'an asset cannot derive from itself' });
        }
      });
    }
  });

  const cycle = findLineageCycle(ws);
  if (cycle !== undefined) {
    const at = assets.get(cycle[0] as string) ?? 0;
    problems.push({ path: ['assets', at, 'lineage'], message: `lineage forms a cycle: ${cycle.join(' -> ')}` });
  }

  ws.attestations.forEach((a, i) => {
    if (!catalog.hasControl(a.control)) problems.push({ path: ['attestations', i, 'control'], message: `unknown control "${a.control}"` });
    if (!people.has(a.by)) problems.push({ path: ['attestations', i, 'by'], message: `unknown person "${a.by}"` });
    a.assets?.forEach((id, j) => {
      if (!assets.has(id)) problems.push({ path: ['attestations', i, 'assets', j], message: `unknown asset "${id}"` });
    });
  });
  checkTrustedKeys(ws, people, problems);
  ws.exceptions.forEach((e, i) => {
    if (!catalog.hasControl(e.control)) problems.push({ path: ['exceptions', i, 'control'], message: `unknown control "${e.control}"` });
    if (!assets.has(e.asset)) problems.push({ path: ['exceptions', i, 'asset'], message: `unknown asset "${e.asset}"` });
    if (!people.has(e.approved_by)) problems.push({ path: ['exceptions', i, 'approved_by'], message: `unknown person "${e.approved_by}"` });
  });
  return problems;
}

function checkTrustedKeys(ws: Workspace, people: ReadonlyMap<string, number>, problems: ReferenceProblem[]): void {
  const keys = ws.model_signing?.trusted_keys ?? [];
  const seen = new Map<string, number>();
  keys.forEach((key, i) => {
    const at = ['model_signing', 'trusted_keys', i];
    const first = seen.get(key.id);
    if (first !== undefined) problems.push({ path: [...at, 'id'], message: `duplicate id "${key.id}" (first declared at model_signing.trusted_keys[${first}])` });
    else seen.set(key.id, i);
    if (key.owner !== undefined && !people.has(key.owner)) problems.push({ path: [...at, 'owner'], message: `unknown person "${key.owner}"` });
    if (key.public_key !== undefined) {
      const problem = workspaceRelativeProblem(key.public_key);
      if (problem !== undefined) problems.push({ path: [...at, 'public_key'], message: problem });
    }
    key.certificate_chain?.forEach((path, j) => {
      const problem = workspaceRelativeProblem(path);
      if (problem !== undefined) problems.push({ path: [...at, 'certificate_chain', j], message: problem });
    });
  });
}

/**
 * Trust anchors must live inside the workspace, so that they are reviewed and versioned with
 * warden.yaml: an absolute path or one climbing out with ".." would let a file nobody reviews
 * decide what production accepts.
 */
export function workspaceRelativeProblem(path: string): string | undefined {
  const slashed = path.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[a-z]:\//i.test(slashed)) return `"${path}" must be a path relative to the workspace folder`;
  const normalised = normalize(slashed);
  if (normalised === '..' || normalised.startsWith('../')) return `"${path}" points outside the workspace folder`;
  if (normalised === '.') return `"${path}" names the workspace folder, not a file`;
  return undefined;
}

function checkAccessEntry(entry: string, people: ReadonlyMap<string, number>, roles: ReadonlySet<string>): string | undefined {
  if (entry === EVERYONE) return undefined;
  if (entry.startsWith(ROLE_PREFIX)) {
    const role = entry.slice(ROLE_PREFIX.length);
    return roles.has(role) ? undefined : `no person holds role "${role}"`;
  }
  return people.has(entry) ? undefined : `unknown person "${entry}" (use a person id, role:NAME or everyone)`;
}

/** Iterative depth-first search (the lineage graph can have hundreds of thousands of edges). */
function findLineageCycle(ws: Workspace): string[] | undefined {
  const edges = new Map<string, readonly string[]>();
  for (const asset of ws.assets) {
    const out = [...(asset.lineage?.derived_from ?? []), ...(asset.lineage?.trained_on ?? []), ...(asset.lineage?.reads ?? [])];
    if (out.length > 0) edges.set(asset.id, out);
  }
  const state = new Map<string, 1 | 2>(); // 1 on the stack, 2 finished
  for (const start of edges.keys()) {
    if (state.has(start)) continue;
    const stack: { id: string; next: number }[] = [{ id: start, next: 0 }];
    state.set(start, 1);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as { id: string; next: number };
      const out = edges.get(frame.id) ?? [];
      if (frame.next >= out.length) {
        state.set(frame.id, 2);
        stack.pop();
        continue;
      }
      const target = out[frame.next] as string;
      frame.next += 1;
      const seen = state.get(target);
      if (seen === 1) {
        const from = stack.findIndex((f) => f.id === target);
        return [...stack.slice(from).map((f) => f.id), target];
      }
      if (seen === undefined && edges.has(target)) {
        state.set(target, 1);
        stack.push({ id: target, next: 0 });
      } else if (seen === undefined) {
        state.set(target, 2);
      }
    }
  }
  return undefined;
}
