/**
 * What every check receives: the inventory, the organisation's policy switches, and `report` to
 * record a finding. Checks never build findings themselves, so ids, controls, remediation and
 * fingerprints stay uniform.
 */
import type { Severity } from '../../domain/index.js';
import type { CloudResource, IacFormat, IacInventory } from './iac-inventory.js';
import type { FixFormat } from './iac-rules.js';
import { assetTagOf, storageNameOf } from './asset-links.js';

export interface CheckSettings {
  /** organisation.policy.require_customer_managed_keys, or --require-customer-managed-keys. */
  readonly requireCustomerManagedKeys: boolean;
  /** organisation.policy.require_audit_logging, or --require-audit-logging. */
  readonly requireAuditLogging: boolean;
}

export interface Report {
  readonly rule: string;
  readonly file: string;
  readonly line: number;
  readonly message: string;
  /** What was found, independent of the line: the resource address plus a detail. */
  readonly key: string;
  readonly format: IacFormat;
  readonly evidence?: string;
  /** Lower than the rule's severity when this instance is less serious. */
  readonly severity?: Severity;
  readonly resource?: string;
  /** Physical storage name (bucket), to tie the finding to an asset whose location names it. */
  readonly storageName?: string;
  /** The resource's `warden-asset` tag or label. */
  readonly assetTag?: string;
}

export interface CheckContext {
  readonly inventory: IacInventory;
  readonly settings: CheckSettings;
  report(report: Report): void;
}

export type Check = (context: CheckContext) => void;

export function fixFormatOf(format: IacFormat): FixFormat {
  switch (format) {
    case 'terraform':
    case 'terraform-plan':
      return 'terraform';
    case 'cloudformation':
      return 'cloudformation';
    case 'kubernetes':
      return 'kubernetes';
    case 'compose':
      return 'compose';
    case 'dockerfile':
    case 'shell':
      return 'dockerfile';
    case 'jupyter-config':
      return 'jupyter';
  }
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/** Report about a cloud resource: location, key and properties come from the resource. */
export function reportResource(
  context: CheckContext,
  resource: CloudResource,
  rule: string,
  message: string,
  options: { line?: number; detail?: string; evidence?: string; severity?: Severity } = {},
): void {
  context.report({
    rule,
    file: resource.file,
    line: options.line ?? resource.line,
    message,
    key: `${resource.address}${options.detail === undefined ? '' : `|${options.detail}`}`,
    format: resource.format,
    resource: resource.address,
    ...optional('storageName', storageNameOf(resource)),
    ...optional('assetTag', assetTagOf(resource)),
    ...(options.evidence !== undefined && { evidence: options.evidence }),
    ...(options.severity !== undefined && { severity: options.severity }),
  });
}

/** Resources of any of `types`, Terraform and CloudFormation alike. */
export function resourcesOf(context: CheckContext, ...types: readonly string[]): CloudResource[] {
  return types.flatMap((type) => context.inventory.ofType(type));
}
