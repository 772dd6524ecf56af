/**
 * Firewall rules open to the internet on AI service ports and on SSH/RDP: AWS security groups
 * (inline blocks, separate rules, the newer VPC ingress-rule resource, CloudFormation), GCP
 * firewalls and Azure NSGs. A range that includes a port counts, and so does "all protocols".
 */
import { reportResource, resourcesOf } from './check-context.js';
import type { CheckContext } from './check-context.js';
import type { CloudResource } from './iac-inventory.js';
import { blocks, bool, field, itemsOf, mapsOf, num, str, strings } from './iac-model.js';
import type { IacMap } from './iac-model.js';
import { ADMIN_PORTS, AI_SERVICE_PORTS, ALL_PORTS, describePorts, isAllPorts, isWorldSource, parsePortSpec, portsHit, protocolKind, worstSeverity } from './ports.js';
import type { PortRange } from './ports.js';

interface OpenRule {
  readonly resource: CloudResource;
  readonly line: number;
  /** Distinguishes several rules in one resource, for the fingerprint. */
  readonly detail: string;
  readonly sources: readonly string[];
  readonly ranges: readonly PortRange[];
  readonly protocol: string;
}

function awsRange(protocol: string | undefined, from: number | undefined, to: number | undefined): PortRange[] | undefined {
  const kind = protocolKind(protocol);
  if (kind === 'all') return [...ALL_PORTS];
  if (kind === 'other' || from === undefined) return undefined;
  return [{ from: Math.max(0, from), to: to ?? from }];
}

function awsRule(r: CloudResource, block: IacMap, names: { cidr4: string; cidr6: string; protocol: string; from: string; to: string }, detail: string): OpenRule | undefined {
  const sources = [...strings(field(block, names.cidr4)), ...strings(field(block, names.cidr6))].filter(isWorldSource);
  if (sources.length === 0) return undefined;
  const protocol = str(field(block, names.protocol));
  const ranges = awsRange(protocol, num(field(block, names.from)), num(field(block, names.to)));
  if (ranges === undefined) return undefined;
  return { resource: r, line: block.line, detail, sources, ranges, protocol: protocol ?? 'tcp' };
}

const TF_NAMES = { cidr4: 'cidr_blocks', cidr6: 'ipv6_cidr_blocks', protocol: 'protocol', from: 'from_port', to: 'to_port' };
const CFN_NAMES = { cidr4: 'CidrIp', cidr6: 'CidrIpv6', protocol: 'IpProtocol', from: 'FromPort', to: 'ToPort' };

function collectAws(context: CheckContext, out: OpenRule[]): void {
  for (const r of resourcesOf(context, 'aws_security_group')) {
    blocks(r.body, 'ingress').forEach((block, i) => {
      const rule = awsRule(r, block, TF_NAMES, `ingress[${i}]`);
      if (rule !== undefined) out.push(rule);
    });
  }
  for (const r of resourcesOf(context, 'aws_security_group_rule')) {
    if (str(field(r.body, 'type')) !== 'ingress') continue;
    const rule = awsRule(r, r.body, TF_NAMES, 'rule');
    if (rule !== undefined) out.push({ ...rule, line: r.line });
  }
  for (const r of resourcesOf(context, 'aws_vpc_security_group_ingress_rule')) {
    const rule = awsRule(r, r.body, { cidr4: 'cidr_ipv4', cidr6: 'cidr_ipv6', protocol: 'ip_protocol', from: 'from_port', to: 'to_port' }, 'rule');
    if (rule !== undefined) out.push({ ...rule, line: r.line });
  }
  for (const r of resourcesOf(context, 'AWS::EC2::SecurityGroup')) {
    mapsOf(field(r.body, 'SecurityGroupIngress')).forEach((block, i) => {
      const rule = awsRule(r, block, CFN_NAMES, `SecurityGroupIngress[${i}]`);
      if (rule !== undefined) out.push(rule);
    });
  }
  for (const r of resourcesOf(context, 'AWS::EC2::SecurityGroupIngress')) {
    const rule = awsRule(r, r.body, CFN_NAMES, 'rule');
    if (rule !== undefined) out.push({ ...rule, line: r.line });
  }
}

function collectGcp(context: CheckContext, out: OpenRule[]): void {
  for (const r of resourcesOf(context, 'google_compute_firewall')) {
    if ((str(field(r.body, 'direction')) ?? 'INGRESS').toUpperCase() !== 'INGRESS') continue;
    if (bool(field(r.body, 'disabled')) === true) continue;
    const ranges = field(r.body, 'source_ranges');
    let sources = strings(ranges).filter(isWorldSource);
    // GCP: an ingress rule with no source ranges, tags or service accounts applies to 0.0.0.0/0.
    if (ranges === undefined && field(r.body, 'source_tags') === undefined && field(r.body, 'source_service_accounts') === undefined) {
      sources = ['0.0.0.0/0 (no source given)'];
    }
    if (sources.length === 0) continue;
    blocks(r.body, 'allow').forEach((allow, i) => {
      const protocol = str(field(allow, 'protocol'));
      const kind = protocolKind(protocol);
      if (kind === 'other') return;
      const ports = field(allow, 'ports');
      const portRanges = kind === 'all' || ports === undefined ? [...ALL_PORTS] : strings(ports).map(parsePortSpec).filter((p): p is PortRange => p !== undefined);
      out.push({ resource: r, line: allow.line, detail: `allow[${i}]`, sources, ranges: portRanges, protocol: protocol ?? 'tcp' });
    });
  }
}

function azureRule(r: CloudResource, rule: IacMap, detail: string): OpenRule | undefined {
  if ((str(field(rule, 'direction')) ?? '').toLowerCase() !== 'inbound') return undefined;
  if ((str(field(rule, 'access')) ?? '').toLowerCase() !== 'allow') return undefined;
  const sources = [...strings(field(rule, 'source_address_prefix')), ...strings(field(rule, 'source_address_prefixes'))].filter(isWorldSource);
  if (sources.length === 0) return undefined;
  const protocol = str(field(rule, 'protocol'));
  if (protocolKind(protocol) === 'other') return undefined;
  const specs = [...strings(field(rule, 'destination_port_range')), ...strings(field(rule, 'destination_port_ranges'))];
  const ranges = specs.map(parsePortSpec).filter((p): p is PortRange => p !== undefined);
  return { resource: r, line: rule.line, detail, sources, ranges, protocol: protocol ?? '*' };
}

function collectAzure(context: CheckContext, out: OpenRule[]): void {
  for (const r of resourcesOf(context, 'azurerm_network_security_rule')) {
    const rule = azureRule(r, r.body, 'rule');
    if (rule !== undefined) out.push({ ...rule, line: r.line });
  }
  for (const r of resourcesOf(context, 'azurerm_network_security_group')) {
    itemsOf(field(r.body, 'security_rule')).forEach((item, i) => {
      if (item.kind !== 'map') return;
      const rule = azureRule(r, item, `security_rule[${i}]`);
      if (rule !== undefined) out.push(rule);
    });
  }
}

export function checkOpenIngress(context: CheckContext): void {
  const rules: OpenRule[] = [];
  collectAws(context, rules);
  collectGcp(context, rules);
  collectAzure(context, rules);
  for (const rule of rules) {
    const scope = isAllPorts(rule.ranges) ? 'all ports' : rule.ranges.map((p) => (p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`)).join(', ');
    const source = [...new Set(rule.sources)].join(', ');
    const evidence = `source ${source}, protocol ${rule.protocol}, ports ${scope}`;
    const ai = portsHit(rule.ranges, AI_SERVICE_PORTS);
    if (ai.length > 0) {
      const shown = ai.length > 5 ? `${describePorts(ai.slice(0, 5))} and ${ai.length - 5} more` : describePorts(ai);
      reportResource(context, rule.resource, 'iac/ingress-open-ai-port', `${rule.resource.address} allows ${source} to ${scope === 'all ports' ? 'all ports, including ' : ''}${shown}.`, {
        line: rule.line,
        detail: `${rule.detail}|ai`,
        evidence,
        severity: worstSeverity(ai),
      });
    }
    const admin = portsHit(rule.ranges, ADMIN_PORTS);
    if (admin.length > 0) {
      reportResource(context, rule.resource, 'iac/ingress-open-admin-port', `${rule.resource.address} allows ${source} to ${describePorts(admin)}.`, {
        line: rule.line,
        detail: `${rule.detail}|admin`,
        evidence,
      });
    }
  }
}
