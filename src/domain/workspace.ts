/**
 * The `warden.yaml` workspace: governance as code. Everything here is declared by the user and is
 * therefore a claim, not a fact; scanners and probes turn claims into evidence.
 *
 * Objects are strict: an unknown key is far more often a typo of a security setting
 * (`acess_logging`) than an extension, and a silently ignored security setting is worse than an error.
 */
import { z } from 'zod';

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,79}$/, 'an id of lower-case letters, digits, ".", "_" or "-" (at most 80)');

const isoDate = z.iso.date('a date written YYYY-MM-DD');

export const REGIMES = [
  'hipaa',
  'gdpr',
  'uk-gdpr',
  'ccpa',
  'soc2',
  'iso27001',
  'iso42001',
  'eu-ai-act',
  'nist-ai-rmf',
  'pci-dss',
  'glba',
  'us-state-breach',
] as const;
export const regimeSchema = z.enum(REGIMES);
export type Regime = z.infer<typeof regimeSchema>;

export const ASSET_KINDS = [
  'dataset',
  'model',
  'training-environment',
  'notebook-server',
  'pipeline',
  'model-registry',
  'inference-endpoint',
  'storage',
  'code-repository',
  'monitoring',
] as const;
export const assetKindSchema = z.enum(ASSET_KINDS);
export type AssetKind = z.infer<typeof assetKindSchema>;

export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;
export const classificationSchema = z.enum(CLASSIFICATIONS);
export type Classification = z.infer<typeof classificationSchema>;

export function classificationRank(c: Classification): number {
  return CLASSIFICATIONS.indexOf(c);
}

export const SIZE_PROFILES = ['small', 'mid', 'large'] as const;
export type SizeProfile = (typeof SIZE_PROFILES)[number];

/** small under 15 people, mid 15–50, large over 50 (the product's sizing rule). */
export function sizeProfileFor(headcount: number): SizeProfile {
  if (headcount < 15) return 'small';
  if (headcount <= 50) return 'mid';
  return 'large';
}

export function sizeProfileRank(p: SizeProfile): number {
  return SIZE_PROFILES.indexOf(p);
}

export const EXPOSURES = ['internet', 'vpn', 'private', 'localhost'] as const;
export const AUTHENTICATION = ['none', 'shared-token', 'password', 'api-key', 'sso', 'sso-mfa', 'mtls'] as const;
export const KEY_MANAGEMENT = ['none', 'provider-managed', 'customer-managed', 'per-client'] as const;

const encryptionSchema = z.strictObject({
  at_rest: z.boolean().optional(),
  in_transit: z.boolean().optional(),
  /** Who holds the key. `per-client` means one key per client (crypto-shredding possible). */
  key: z.enum(KEY_MANAGEMENT).optional(),
});

const accessList = z.array(z.string().min(1));

/**
 * Who may do what with a model's artefacts (model and model-registry assets), each a list in the
 * syntax of `access`. `read`: use or load the model; `export`: copy it out of the registry
 * (`warden model export`); `promote`: move a version to staging or production
 * (`warden model promote`); `review`: approve or reject its security review (absent: any active
 * person of the workspace). An absent `promote` list means nobody may promote.
 */
const modelAccessSchema = z.strictObject({
  read: accessList.optional(),
  export: accessList.optional(),
  promote: accessList.optional(),
  review: accessList.optional(),
});
export type ModelAccess = z.infer<typeof modelAccessSchema>;
export const MODEL_PERMISSIONS = ['read', 'export', 'promote', 'review'] as const;
export type ModelPermission = (typeof MODEL_PERMISSIONS)[number];

const assetControlsSchema = z.strictObject({
  encryption: encryptionSchema.optional(),
  /**
   * Who may use the asset: person ids, `role:NAME` for everyone holding a role, or `everyone`
   * (the whole organisation, or the whole world for an internet-exposed asset).
   */
  access: accessList.optional(),
  /** Per-operation permissions on a model's artefacts (model and model-registry assets only). */
  model_access: modelAccessSchema.optional(),
  access_logging: z.boolean().optional(),
  /** Name of the hardening baseline applied (e.g. `cis-level-1`), or `none`. */
  hardening: z.string().min(1).optional(),
  exposure: z.enum(EXPOSURES).optional(),
  authentication: z.enum(AUTHENTICATION).optional(),
  tls: z.boolean().optional(),
  rate_limit: z.boolean().optional(),
  retention_days: z.number().int().positive().optional(),
  backup: z.boolean().optional(),
  signed: z.boolean().optional(),
});
export type AssetControls = z.infer<typeof assetControlsSchema>;

const lineageSchema = z.strictObject({
  derived_from: z.array(id).optional(),
  trained_on: z.array(id).optional(),
  /** Data this system can read (an environment or server mounting datasets): widens its blast radius. */
  reads: z.array(id).optional(),
});

export const assetSchema = z.strictObject({
  id,
  name: z.string().min(1).optional(),
  kind: assetKindSchema,
  description: z.string().optional(),
  owner: id,
  clients: z.array(id).optional(),
  classification: classificationSchema.optional(),
  /** Personal-data categories held: e.g. phi, pii, payment, financial, behavioural. */
  data_categories: z.array(z.string().min(1)).optional(),
  records: z.number().int().nonnegative().optional(),
  /** A URI (`s3://…`, `https://…`), `host:port`, or a path relative to the workspace. */
  location: z.string().min(1).optional(),
  environment: z.enum(['development', 'staging', 'production']).optional(),
  controls: assetControlsSchema.optional(),
  lineage: lineageSchema.optional(),
  /** Model provenance: where a base model or weights came from. */
  source: z.string().min(1).optional(),
  tags: z.array(z.string()).optional(),
});
export type Asset = z.infer<typeof assetSchema>;

const trainingRecordSchema = z.strictObject({
  course: z.string().min(1),
  completed_on: isoDate,
  expires_on: isoDate.optional(),
});

export const personSchema = z.strictObject({
  id,
  name: z.string().min(1),
  email: z.email('an e-mail address'),
  roles: z.array(z.string().min(1)).default([]),
  clients: z.array(id).optional(),
  training: z.array(trainingRecordSchema).optional(),
  active: z.boolean().optional(),
});
export type Person = z.infer<typeof personSchema>;

export const clientSchema = z.strictObject({
  id,
  name: z.string().min(1),
  sector: z.string().min(1),
  regimes: z.array(regimeSchema).default([]),
  /** Contractual security requirements, in the client's words. */
  requirements: z.array(z.string().min(1)).optional(),
  /** Contractual breach-notification window in hours, when it is shorter than the law's. */
  notification_hours: z.number().int().positive().optional(),
});
export type Client = z.infer<typeof clientSchema>;

export const attestationSchema = z.strictObject({
  control: z.string().min(1),
  by: id,
  on: isoDate,
  note: z.string().optional(),
  /** Path or URL of the supporting document. */
  evidence: z.string().optional(),
  /** Limit the attestation to some assets; absent means organisation-wide. */
  assets: z.array(id).optional(),
});
export type Attestation = z.infer<typeof attestationSchema>;

export const exceptionSchema = z.strictObject({
  control: z.string().min(1),
  asset: id,
  approved_by: id,
  reason: z.string().min(1),
  expires_on: isoDate,
});
export type ControlException = z.infer<typeof exceptionSchema>;

/**
 * A key the organisation trusts to sign models: the deployment gate accepts a model only when its
 * signature verifies against one of these. Paths are relative to the workspace folder and must
 * stay inside it, so the trust anchors are reviewed and versioned with warden.yaml itself.
 */
export const trustedKeySchema = z
  .strictObject({
    id,
    /** PEM (or DER) public key of an ECDSA P-256/P-384/P-521 signing key … */
    public_key: z.string().min(1).optional(),
    /** … or the CA certificate(s) that certificate-signed models must chain up to. */
    certificate_chain: z.array(z.string().min(1)).min(1).optional(),
    /** Who holds the private key. */
    owner: id.optional(),
    /** After this day the key no longer verifies promotions (key rotation). */
    expires_on: isoDate.optional(),
    note: z.string().optional(),
  })
  .refine((k) => (k.public_key === undefined) !== (k.certificate_chain === undefined), {
    message: 'give exactly one of public_key or certificate_chain',
  });
export type TrustedKey = z.infer<typeof trustedKeySchema>;

export const modelSigningSchema = z.strictObject({
  trusted_keys: z.array(trustedKeySchema).default([]),
});
export type ModelSigning = z.infer<typeof modelSigningSchema>;

export const organisationSchema = z.strictObject({
  name: z.string().min(1),
  headcount: z.number().int().positive(),
  regimes: z.array(regimeSchema).default([]),
  /** Where the organisation's own policy is stricter than the catalog's defaults. */
  policy: z
    .strictObject({
      require_customer_managed_keys: z.boolean().optional(),
      require_audit_logging: z.boolean().optional(),
      training_courses: z.array(z.string().min(1)).optional(),
    })
    .optional(),
});
export type Organisation = z.infer<typeof organisationSchema>;

export const workspaceSchema = z.strictObject({
  version: z.literal(1),
  organisation: organisationSchema,
  clients: z.array(clientSchema).default([]),
  people: z.array(personSchema).default([]),
  assets: z.array(assetSchema).default([]),
  attestations: z.array(attestationSchema).default([]),
  exceptions: z.array(exceptionSchema).default([]),
  /** Keys trusted to sign models, checked by the deployment gate (`warden model promote`). */
  model_signing: modelSigningSchema.optional(),
  /** Allowlists for scanners (secrets), keyed by scanner name. */
  scanners: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});
export type Workspace = z.infer<typeof workspaceSchema>;
export type WorkspaceInput = z.input<typeof workspaceSchema>;
