/**
 * The commented `warden.yaml` that `warden init` writes. It must itself be a valid workspace
 * (a test loads it), so a new user starts from something that assesses cleanly and reads as a guide.
 */
import { z } from 'zod';
import { workspaceSchema } from '../domain/index.js';

export function workspaceTemplate(organisationName: string, today: string): string {
  const name = JSON.stringify(organisationName);
  return `# warden.yaml — your organisation's security governance, as code.
# Validate with 'warden assess'; editor completion: 'warden schema > warden.schema.json' and point
# your YAML language server at it (# yaml-language-server: $schema=./warden.schema.json).
version: 1

organisation:
  name: ${name}
  headcount: 8                     # small < 15, mid 15-50, large > 50: sets which controls apply
  regimes: [gdpr]                  # hipaa, gdpr, uk-gdpr, ccpa, soc2, iso27001, iso42001, eu-ai-act,
                                   # nist-ai-rmf, pci-dss, glba, us-state-breach
  policy:
    require_customer_managed_keys: false
    require_audit_logging: true
    training_courses: [security-awareness]

# The clients whose data you hold. Regimes and contract terms drive notification duties.
clients:
  - id: example-client
    name: Example Client Ltd
    sector: retail
    regimes: [gdpr]
    requirements:
      - Encrypt client data at rest
    # notification_hours: 24       # contractual breach-notification window, if shorter than the law's

# People: roles (security-lead, data-scientist, ml-engineer, devops …), engagements, training.
people:
  - id: owner
    name: Replace Me
    email: security@example.com
    roles: [security-lead]
    clients: [example-client]
    training:
      - { course: security-awareness, completed_on: ${today} }

# Assets: dataset, model, training-environment, notebook-server, pipeline, model-registry,
# inference-endpoint, storage, code-repository, monitoring.
assets:
  - id: example-dataset
    kind: dataset
    owner: owner
    clients: [example-client]
    classification: confidential   # public, internal, confidential, restricted
    data_categories: [pii]
    records: 10000
    location: s3://example-bucket/training-data/
    controls:
      encryption: { at_rest: true, in_transit: true, key: customer-managed }
      access: [owner]              # person ids, role:NAME, or everyone
      access_logging: true
      retention_days: 365
    # lineage: { derived_from: [raw-dataset] }     # models use trained_on: [dataset ids]

# Attestations: a person states that a process control is in place (re-attest after its interval).
attestations: []
#  - { control: WD-PEOPLE-04, by: owner, on: ${today}, note: "IR plan v2, tabletop held", evidence: docs/ir-plan.md }

# Exceptions: an accepted risk for one asset and control, with an approver and an expiry.
exceptions: []

# Model signing keys the deployment gate trusts ('warden model promote' accepts only models
# signed by one of them). Paths are relative to this folder. Model assets say who may promote
# them with controls.model_access: { read: [...], export: [...], promote: [...], review: [...] }.
# model_signing:
#   trusted_keys:
#     - { id: release-2026, public_key: keys/model-signing.pub.pem, owner: owner }
`;
}

/** JSON Schema (draft 2020-12) of warden.yaml, for editor completion. */
export function workspaceJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(workspaceSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, title: 'Warden workspace (warden.yaml)' };
}
