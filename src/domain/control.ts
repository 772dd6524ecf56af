/**
 * Shapes of the control and threat catalogs. The catalogs themselves are data files in
 * src/catalog/data and are validated against these schemas when loaded.
 */
import { z } from 'zod';
import { ASSET_KINDS, SIZE_PROFILES } from './workspace.js';

export const PILLARS = ['data', 'models', 'infrastructure', 'people', 'compliance'] as const;
export type Pillar = (typeof PILLARS)[number];

export const PILLAR_TITLES: Readonly<Record<Pillar, string>> = {
  data: 'Data',
  models: 'Models',
  infrastructure: 'Infrastructure',
  people: 'People and process',
  compliance: 'Compliance and audit',
};

export const ROADMAP_MONTHS = ['1', '2', '3', '4-6'] as const;
export type RoadmapMonth = (typeof ROADMAP_MONTHS)[number];

/** The five questions of the one-day assessment. */
export const QUESTIONS = ['access', 'encryption', 'logging', 'hardening', 'blast-radius'] as const;
export type Question = (typeof QUESTIONS)[number];

export const QUESTION_TEXT: Readonly<Record<Question, string>> = {
  access: 'Who has access?',
  encryption: 'Is the data encrypted?',
  logging: 'Are access logs maintained?',
  hardening: 'Is the environment hardened?',
  'blast-radius': 'What happens if this system is compromised?',
};

const evaluationSchema = z.discriminatedUnion('type', [
  /** A named automated check implemented by the engine over the workspace and evidence. */
  z.strictObject({ type: z.literal('check'), check: z.string().min(1) }),
  /** Satisfied by evidence of a kind (a scanner's results, a registry record …). */
  z.strictObject({
    type: z.literal('evidence'),
    evidence: z.string().min(1),
    /** Findings at or above this severity make the control fail. */
    fail_on: z.enum(['critical', 'high', 'medium', 'low']).default('high'),
  }),
  /** A person attests, and must do so again after the interval. */
  z.strictObject({ type: z.literal('attestation'), review_interval_days: z.number().int().positive() }),
]);
export type ControlEvaluation = z.infer<typeof evaluationSchema>;

export const controlSchema = z.strictObject({
  id: z.string().regex(/^WD-[A-Z]+-\d{2}$/),
  title: z.string().min(1),
  description: z.string().min(1),
  pillar: z.enum(PILLARS),
  /** Asset kinds the control is evaluated on; empty means organisation-wide. */
  applies_to: z.array(z.enum(ASSET_KINDS)),
  /** The smallest organisation size profile that needs the control. */
  min_size: z.enum(SIZE_PROFILES),
  roadmap_month: z.enum(ROADMAP_MONTHS),
  evaluation: z.array(evaluationSchema).min(1),
  /** Which of the five questions this control's outcome answers. */
  answers: z.array(z.enum(QUESTIONS)).default([]),
  threats: z.array(z.string()).default([]),
  /** Base weight of a gap in this control, 1 (hygiene) to 5 (breach-enabling). */
  weight: z.number().int().min(1).max(5),
  remediation: z.string().min(1),
  /** Compliance framework references, filled by the compliance work: framework id → clause ids. */
  mappings: z.record(z.string(), z.array(z.string())).default({}),
});
export type Control = z.infer<typeof controlSchema>;

export const threatSchema = z.strictObject({
  id: z.string().regex(/^TH-[A-Z-]+$/),
  title: z.string().min(1),
  description: z.string().min(1),
  /** MITRE ATLAS technique ids (AML.Txxxx[.yyy]). */
  atlas: z.array(z.string().regex(/^AML\.T\d{4}(\.\d{3})?$/)),
  /** OWASP Top 10 for LLM Applications 2025 ids (LLM01:2025 …). */
  owasp_llm: z.array(z.string().regex(/^LLM(0[1-9]|10):2025$/)),
});
export type Threat = z.infer<typeof threatSchema>;

export const controlCatalogSchema = z.strictObject({ controls: z.array(controlSchema).min(1) });
export const threatCatalogSchema = z.strictObject({ threats: z.array(threatSchema).min(1) });
