/**
 * Notebooks and AI dashboards reachable from outside: Kubernetes Services of type LoadBalancer or
 * NodePort in front of them (matched by selector to the workloads in the same scan), namespaces
 * running notebooks without any NetworkPolicy, and compose files publishing AI ports on every
 * host interface.
 */
import { composeAssetTag, k8sAssetTag, withAssetTag } from './asset-links.js';
import type { CheckContext } from './check-context.js';
import type { K8sObject } from './iac-inventory.js';
import { field, isMap, itemsOf, mapsOf, num, str, strings } from './iac-model.js';
import type { IacNode } from './iac-model.js';
import { AI_SERVICE_PORTS, isWorldSource, parsePortSpec, portsHit } from './ports.js';
import type { PortRange, ServicePort } from './ports.js';
import { aiServiceOf, composeWords, namespaceOf, podAiService, podTemplatesOf } from './workloads.js';
import type { AiService, PodTemplate } from './workloads.js';

/** Annotations that make a cloud load balancer internal (AWS, GKE, AKS, OCI documentation). */
const INTERNAL_LB: readonly [string, RegExp][] = [
  ['service.beta.kubernetes.io/aws-load-balancer-internal', /^(true|0\.0\.0\.0\/0)$/i],
  ['service.beta.kubernetes.io/aws-load-balancer-scheme', /^internal$/i],
  ['networking.gke.io/load-balancer-type', /^internal$/i],
  ['cloud.google.com/load-balancer-type', /^internal$/i],
  ['service.beta.kubernetes.io/azure-load-balancer-internal', /^true$/i],
  ['service.beta.kubernetes.io/oci-load-balancer-internal', /^true$/i],
];

function isInternalLoadBalancer(service: K8sObject): boolean {
  const annotations = field(field(service.body, 'metadata'), 'annotations');
  if (INTERNAL_LB.some(([key, value]) => value.test(str(field(annotations, key)) ?? ''))) return true;
  const sourceRanges = strings(field(field(service.body, 'spec'), 'loadBalancerSourceRanges'));
  return sourceRanges.length > 0 && !sourceRanges.some(isWorldSource);
}

function selects(selector: IacNode | undefined, labels: ReadonlyMap<string, string>): boolean {
  if (!isMap(selector) || selector.entries.length === 0) return false;
  return selector.entries.every((e) => labels.get(e.key) === (str(e.value) ?? ''));
}

function servicePorts(spec: IacNode | undefined): number[] {
  const ports: number[] = [];
  for (const p of mapsOf(field(spec, 'ports'))) {
    for (const key of ['port', 'targetPort']) {
      const n = num(field(p, key));
      if (n !== undefined) ports.push(n);
    }
  }
  return ports;
}

export function checkKubernetesServices(context: CheckContext): void {
  const byNamespace = new Map<string, PodTemplate[]>();
  for (const template of context.inventory.k8s.flatMap(podTemplatesOf)) {
    const namespace = namespaceOf(template.object);
    const list = byNamespace.get(namespace);
    if (list === undefined) byNamespace.set(namespace, [template]);
    else list.push(template);
  }
  for (const service of context.inventory.k8s) {
    if (service.kind !== 'Service') continue;
    const spec = field(service.body, 'spec');
    const type = str(field(spec, 'type')) ?? 'ClusterIP';
    if (type !== 'LoadBalancer' && type !== 'NodePort') continue;
    if (type === 'LoadBalancer' && isInternalLoadBalancer(service)) continue;
    const namespace = namespaceOf(service);
    const selected = (byNamespace.get(namespace) ?? []).filter((t) => selects(field(spec, 'selector'), t.labels));
    let what: AiService | undefined;
    let target: PodTemplate | undefined;
    for (const t of selected) {
      what = podAiService(t);
      if (what !== undefined) {
        target = t;
        break;
      }
    }
    let portHit: ServicePort[] = [];
    // Only when the selected workload is not in the scan do we fall back to the port numbers:
    // a known non-AI workload on 8080 is just a web app.
    if (what === undefined && selected.length === 0) portHit = portsHit(servicePorts(spec).map((p) => ({ from: p, to: p })), AI_SERVICE_PORTS);
    if (what === undefined && portHit.length === 0) continue;
    const exposed = what !== undefined ? `${what.service} (${target?.object.kind} ${target?.object.name})` : `port ${portHit.map((p) => `${p.port} (${p.service})`).join(', ')}`;
    const reach = type === 'LoadBalancer' ? 'an internet-facing load balancer' : 'a port on every node';
    context.report({
      rule: 'iac/k8s-exposed-ai-service',
      file: service.file,
      line: field(spec, 'type')?.line ?? service.line,
      format: 'kubernetes',
      message: `Service ${service.name} (type ${type}) exposes ${exposed} through ${reach}.`,
      key: `${service.file}|Service/${namespace}/${service.name}`,
      evidence: `type: ${type}`,
      resource: `Service/${service.name}`,
      ...withAssetTag(k8sAssetTag(service) ?? (target === undefined ? undefined : k8sAssetTag(target.object))),
      ...(type === 'NodePort' && { severity: 'medium' as const }),
    });
  }
}

const CLUSTER_WIDE_POLICIES = new Set(['CiliumClusterwideNetworkPolicy', 'GlobalNetworkPolicy']);
const NAMESPACED_POLICIES = new Set(['NetworkPolicy', 'CiliumNetworkPolicy', 'AdminNetworkPolicy']);

export function checkNotebookNetworkPolicies(context: CheckContext): void {
  const k8s = context.inventory.k8s;
  if (k8s.some((o) => CLUSTER_WIDE_POLICIES.has(o.kind))) return;
  const covered = new Set(k8s.filter((o) => NAMESPACED_POLICIES.has(o.kind)).map(namespaceOf));
  const reported = new Set<string>();
  for (const object of k8s) {
    const namespace = namespaceOf(object);
    if (covered.has(namespace) || reported.has(namespace)) continue;
    const notebook = podTemplatesOf(object).map(podAiService).find((s) => s?.notebook === true);
    if (notebook === undefined) continue;
    reported.add(namespace);
    context.report({
      rule: 'iac/k8s-notebook-no-network-policy',
      file: object.file,
      line: object.line,
      format: 'kubernetes',
      message: `Namespace ${namespace} runs notebooks (${object.kind} ${object.name}) but no NetworkPolicy for it is in the scanned manifests.`,
      key: `namespace/${namespace}`,
      evidence: `${object.kind} ${object.name} in namespace ${namespace}`,
      resource: `Namespace/${namespace}`,
    });
  }
}

// ---------------------------------------------------------------- compose

interface PublishedPort {
  readonly hostIp: string | undefined;
  readonly target: PortRange;
  readonly line: number;
  readonly text: string;
}

/** Short syntax `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTO]` or the long syntax map. */
function publishedPorts(node: IacNode | undefined): PublishedPort[] {
  const out: PublishedPort[] = [];
  for (const item of itemsOf(node)) {
    if (item.kind === 'map') {
      const target = parsePortSpec(str(field(item, 'target')) ?? '');
      if (target === undefined || (str(field(item, 'protocol')) ?? 'tcp') !== 'tcp') continue;
      out.push({ hostIp: str(field(item, 'host_ip')), target, line: item.line, text: `target: ${str(field(item, 'target'))}` });
      continue;
    }
    const text = str(item);
    if (text === undefined) continue;
    const [spec, protocol] = text.split('/');
    if (protocol !== undefined && protocol.toLowerCase() !== 'tcp') continue;
    let rest = (spec ?? '').trim();
    let hostIp: string | undefined;
    const bracketed = /^\[([^\]]*)\]:(.*)$/.exec(rest);
    if (bracketed !== null) {
      hostIp = bracketed[1];
      rest = bracketed[2] as string;
    }
    const parts = rest.split(':');
    if (hostIp === undefined && parts.length > 3) hostIp = parts.slice(0, -2).join(':'); // unbracketed IPv6
    else if (hostIp === undefined && parts.length === 3) hostIp = parts[0];
    const target = parsePortSpec(parts[parts.length - 1] as string);
    // Only the container port and the host address matter here; the host port may differ.
    if (target !== undefined) out.push({ hostIp, target, line: item.line, text });
  }
  return out;
}

function allInterfaces(hostIp: string | undefined): boolean {
  return hostIp === undefined || ['', '0.0.0.0', '::', '[::]'].includes(hostIp.trim());
}

export function checkComposePorts(context: CheckContext): void {
  for (const service of context.inventory.compose) {
    const ai = aiServiceOf(str(field(service.body, 'image')), composeWords(service));
    for (const port of publishedPorts(field(service.body, 'ports'))) {
      if (!allInterfaces(port.hostIp)) continue;
      const hit = portsHit([port.target], AI_SERVICE_PORTS);
      if (ai === undefined && hit.length === 0) continue;
      const label = ai?.service ?? hit.map((p) => p.service).join(' / ');
      // Port-only matches on ports that many web apps also use are less certain.
      const severity = ai !== undefined || hit.some((p) => p.severity === 'critical') ? undefined : ('medium' as const);
      context.report({
        rule: 'iac/compose-ai-port-all-interfaces',
        file: service.file,
        line: port.line,
        format: 'compose',
        message: `Compose service ${service.name} publishes ${label} ("${port.text}") on all host interfaces.`,
        key: `${service.file}|${service.name}|${port.target.from}`,
        evidence: `ports: "${port.text}"`,
        resource: service.name,
        ...withAssetTag(composeAssetTag(service)),
        ...(severity !== undefined && { severity }),
      });
    }
  }
}

