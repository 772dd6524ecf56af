/**
 * Loads the control and threat catalogs from the data files beside this module and checks them:
 * schema, unique ids, and that every threat a control names exists. The catalog ships with
 * Warden, so a problem here is our bug, reported as CATALOG_INVALID with the file and field.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { z } from 'zod';
import { WardenError, controlCatalogSchema, threatCatalogSchema } from '../domain/index.js';
import type { Control, Threat } from '../domain/index.js';

export interface Catalog {
  readonly controls: readonly Control[];
  readonly threats: readonly Threat[];
  control(id: string): Control;
  threat(id: string): Threat;
  hasControl(id: string): boolean;
}

const DATA_DIR = new URL('./data/', import.meta.url);

function loadData<T>(file: string, schema: z.ZodType<T>): T {
  const path = fileURLToPath(new URL(file, DATA_DIR));
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new WardenError('CATALOG_INVALID', `Cannot read catalog file ${path}.`, { cause: error });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : issue.path.join('.');
    throw new WardenError('CATALOG_INVALID', `${path}: ${where}: ${issue?.message ?? 'invalid'}`, {
      details: { file: path, issues: parsed.error.issues.length },
    });
  }
  return parsed.data;
}

export function buildCatalog(controls: readonly Control[], threats: readonly Threat[]): Catalog {
  const controlById = new Map<string, Control>();
  for (const control of controls) {
    if (controlById.has(control.id)) throw new WardenError('CATALOG_INVALID', `Duplicate control id ${control.id}.`);
    controlById.set(control.id, control);
  }
  const threatById = new Map<string, Threat>();
  for (const threat of threats) {
    if (threatById.has(threat.id)) throw new WardenError('CATALOG_INVALID', `Duplicate threat id ${threat.id}.`);
    threatById.set(threat.id, threat);
  }
  for (const control of controls) {
    for (const threatId of control.threats) {
      if (!threatById.has(threatId)) {
        throw new WardenError('CATALOG_INVALID', `Control ${control.id} names unknown threat ${threatId}.`);
      }
    }
  }
  return {
    controls,
    threats,
    control(id: string): Control {
      const control = controlById.get(id);
      if (control === undefined) throw new WardenError('INPUT_NOT_FOUND', `Unknown control ${id}.`);
      return control;
    },
    threat(id: string): Threat {
      const threat = threatById.get(id);
      if (threat === undefined) throw new WardenError('INPUT_NOT_FOUND', `Unknown threat ${id}.`);
      return threat;
    },
    hasControl(id: string): boolean {
      return controlById.has(id);
    },
  };
}

let cached: Catalog | undefined;

/** The built-in catalog (read once per process). */
export function loadCatalog(): Catalog {
  if (cached === undefined) {
    const { controls } = loadData('controls.yaml', controlCatalogSchema);
    const { threats } = loadData('threats.yaml', threatCatalogSchema);
    cached = buildCatalog(controls, threats);
  }
  return cached;
}
