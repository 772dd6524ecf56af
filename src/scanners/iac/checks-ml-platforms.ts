/**
 * Managed notebook and ML platforms whose defaults are unsafe, so that leaving a field out is the
 * finding: SageMaker notebooks (internet and root access default to Enabled), SageMaker domains
 * (PublicInternetOnly by default), Vertex AI Workbench (public IP by default) and Azure ML
 * (public network access and compute public IPs default to true). Defaults from the provider and
 * CloudFormation documentation.
 */
import { reportResource, resourcesOf } from './check-context.js';
import type { CheckContext } from './check-context.js';
import type { CloudResource } from './iac-inventory.js';
import { bool, display, field, isUnknown, path, present, str } from './iac-model.js';
import type { IacNode } from './iac-model.js';

/** An Enabled/Disabled string field whose default is Enabled: omitted or "Enabled" is on. */
function enabledByDefault(node: IacNode | undefined): boolean {
  if (isUnknown(node)) return false;
  if (node === undefined) return true;
  return (str(node) ?? '').toLowerCase() === 'enabled';
}

function stateOf(node: IacNode | undefined, defaultText: string): string {
  return node === undefined ? `omitted; the default is ${defaultText}` : `= ${display(node)}`;
}

export function checkSageMaker(context: CheckContext): void {
  const notebooks: [CloudResource, Record<'internet' | 'root' | 'kms' | 'subnet', string>][] = [
    ...resourcesOf(context, 'aws_sagemaker_notebook_instance').map((r): [CloudResource, Record<'internet' | 'root' | 'kms' | 'subnet', string>] => [
      r,
      { internet: 'direct_internet_access', root: 'root_access', kms: 'kms_key_id', subnet: 'subnet_id' },
    ]),
    ...resourcesOf(context, 'AWS::SageMaker::NotebookInstance').map((r): [CloudResource, Record<'internet' | 'root' | 'kms' | 'subnet', string>] => [
      r,
      { internet: 'DirectInternetAccess', root: 'RootAccess', kms: 'KmsKeyId', subnet: 'SubnetId' },
    ]),
  ];
  for (const [r, names] of notebooks) {
    const internet = field(r.body, names.internet);
    if (enabledByDefault(internet)) {
      reportResource(context, r, 'iac/sagemaker-direct-internet', `SageMaker notebook ${r.address} has direct internet access (${names.internet} ${stateOf(internet, '"Enabled"')}).`, {
        line: internet?.line,
        detail: 'internet',
        evidence: `${names.internet} = ${display(internet)}`,
      });
    }
    const root = field(r.body, names.root);
    if (enabledByDefault(root)) {
      reportResource(context, r, 'iac/sagemaker-root-access', `SageMaker notebook ${r.address} gives its users root (${names.root} ${stateOf(root, '"Enabled"')}).`, {
        line: root?.line,
        detail: 'root',
        evidence: `${names.root} = ${display(root)}`,
      });
    }
    if (!present(field(r.body, names.kms))) {
      reportResource(context, r, 'iac/sagemaker-no-kms', `SageMaker notebook ${r.address} has no ${names.kms}: its storage volume uses an AWS-managed key${context.settings.requireCustomerManagedKeys ? ', but the organisation requires customer-managed keys' : ''}.`, {
        detail: 'kms',
        evidence: `${names.kms} (omitted)`,
        severity: context.settings.requireCustomerManagedKeys ? 'medium' : 'low',
      });
    }
    if (!present(field(r.body, names.subnet))) {
      reportResource(context, r, 'iac/sagemaker-no-vpc', `SageMaker notebook ${r.address} has no ${names.subnet}, so it does not run in your VPC.`, {
        detail: 'vpc',
        evidence: `${names.subnet} (omitted)`,
      });
    }
  }
  const domains: [CloudResource, string][] = [
    ...resourcesOf(context, 'aws_sagemaker_domain').map((r): [CloudResource, string] => [r, 'app_network_access_type']),
    ...resourcesOf(context, 'AWS::SageMaker::Domain').map((r): [CloudResource, string] => [r, 'AppNetworkAccessType']),
  ];
  for (const [r, name] of domains) {
    const access = field(r.body, name);
    if (isUnknown(access) || str(access) === 'VpcOnly') continue;
    reportResource(context, r, 'iac/sagemaker-direct-internet', `SageMaker domain ${r.address} gives Studio apps direct internet access (${name} ${stateOf(access, '"PublicInternetOnly"')}).`, {
      line: access?.line,
      detail: 'domain-internet',
      evidence: `${name} = ${display(access)}`,
    });
  }
}

/** A boolean whose safe value is `true` and whose default is false: omitted or false is unsafe. */
function notTrue(node: IacNode | undefined): boolean {
  return !isUnknown(node) && bool(node) !== true;
}

/** A boolean whose safe value is `false` and whose default is true. */
function notFalse(node: IacNode | undefined): boolean {
  return !isUnknown(node) && bool(node) !== false;
}

export function checkVertexWorkbench(context: CheckContext): void {
  const rule = 'iac/vertex-workbench-public-ip';
  for (const r of resourcesOf(context, 'google_notebooks_instance')) {
    const flag = field(r.body, 'no_public_ip');
    if (notTrue(flag)) {
      reportResource(context, r, rule, `Notebooks instance ${r.address} gets a public IP (no_public_ip ${stateOf(flag, 'false')}).`, { line: flag?.line, detail: 'no_public_ip', evidence: `no_public_ip = ${display(flag)}` });
    }
  }
  for (const r of resourcesOf(context, 'google_workbench_instance')) {
    const flag = path(r.body, 'gce_setup.disable_public_ip');
    if (notTrue(flag)) {
      reportResource(context, r, rule, `Workbench instance ${r.address} gets a public IP (gce_setup.disable_public_ip ${stateOf(flag, 'false')}).`, { line: flag?.line, detail: 'disable_public_ip', evidence: `disable_public_ip = ${display(flag)}` });
    }
  }
  for (const r of resourcesOf(context, 'google_notebooks_runtime')) {
    const flag = path(r.body, 'virtual_machine.virtual_machine_config.internal_ip_only');
    if (notTrue(flag)) {
      reportResource(context, r, rule, `Managed notebooks runtime ${r.address} gets a public IP (internal_ip_only ${stateOf(flag, 'false')}).`, { line: flag?.line, detail: 'internal_ip_only', evidence: `internal_ip_only = ${display(flag)}` });
    }
  }
}

export function checkAzureMl(context: CheckContext): void {
  const rule = 'iac/azureml-public-network';
  for (const r of resourcesOf(context, 'azurerm_machine_learning_workspace')) {
    const flag = field(r.body, 'public_network_access_enabled') ?? field(r.body, 'public_access_behind_virtual_network_enabled');
    if (notFalse(flag)) {
      reportResource(context, r, rule, `Azure ML workspace ${r.address} accepts requests from the public internet (public_network_access_enabled ${stateOf(flag, 'true')}).`, {
        line: flag?.line,
        detail: 'workspace',
        evidence: `public_network_access_enabled = ${display(flag)}`,
      });
    }
  }
  for (const r of resourcesOf(context, 'azurerm_machine_learning_compute_instance', 'azurerm_machine_learning_compute_cluster')) {
    const flag = field(r.body, 'node_public_ip_enabled');
    if (notFalse(flag)) {
      reportResource(context, r, rule, `Azure ML compute ${r.address} gets a public IP (node_public_ip_enabled ${stateOf(flag, 'true')}).`, {
        line: flag?.line,
        detail: 'compute',
        evidence: `node_public_ip_enabled = ${display(flag)}`,
      });
    }
  }
}
