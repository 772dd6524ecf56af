/**
 * The ports of AI services that must never face the internet, and helpers to decide whether a
 * firewall rule or a published port reaches them.
 *
 * Most of these services ship without authentication (Ray's dashboard and job API, MLflow's
 * tracking server, Ollama's API, TorchServe's management API), so reachability is compromise.
 * Defaults from each project's documentation.
 */
import type { Severity } from '../../domain/index.js';

export interface ServicePort {
  readonly port: number;
  readonly service: string;
  readonly severity: Severity;
}

export const AI_SERVICE_PORTS: readonly ServicePort[] = [
  { port: 8888, service: 'Jupyter', severity: 'critical' },
  { port: 8265, service: 'Ray dashboard / job API', severity: 'critical' },
  { port: 10001, service: 'Ray client server', severity: 'critical' },
  { port: 6379, service: 'Ray GCS / Redis', severity: 'critical' },
  { port: 5000, service: 'MLflow tracking server', severity: 'critical' },
  { port: 11434, service: 'Ollama API', severity: 'critical' },
  { port: 8081, service: 'TorchServe management API', severity: 'critical' },
  { port: 6006, service: 'TensorBoard', severity: 'high' },
  { port: 7860, service: 'Gradio', severity: 'high' },
  { port: 8501, service: 'Streamlit', severity: 'high' },
  { port: 8000, service: 'vLLM / Triton HTTP', severity: 'high' },
  { port: 8080, service: 'TorchServe inference', severity: 'high' },
  { port: 8001, service: 'Triton gRPC', severity: 'high' },
  { port: 8002, service: 'Triton metrics', severity: 'high' },
];

export const ADMIN_PORTS: readonly ServicePort[] = [
  { port: 22, service: 'SSH', severity: 'high' },
  { port: 3389, service: 'RDP', severity: 'high' },
];

export interface PortRange {
  readonly from: number;
  readonly to: number;
}

export const ALL_PORTS: readonly PortRange[] = [{ from: 0, to: 65535 }];

/** Addresses meaning "anyone": IPv4/IPv6 any, and Azure's service tags for the same. */
export function isWorldSource(source: string): boolean {
  const s = source.trim().toLowerCase();
  return ['0.0.0.0/0', '::/0', '0::/0', '*', 'internet', 'any', '0.0.0.0', '::'].includes(s);
}

/** `8888`, `8000-9000`, `*` (Azure), as ranges; undefined when not literal. */
export function parsePortSpec(spec: string): PortRange | undefined {
  const s = spec.trim();
  if (s === '*') return ALL_PORTS[0];
  const single = /^(\d{1,5})$/.exec(s);
  if (single !== null) {
    const port = Number(single[1]);
    return { from: port, to: port };
  }
  const range = /^(\d{1,5})\s*-\s*(\d{1,5})$/.exec(s);
  if (range !== null) return { from: Number(range[1]), to: Number(range[2]) };
  return undefined;
}

/** Which of `ports` fall in any of `ranges`, most severe first. */
export function portsHit(ranges: readonly PortRange[], ports: readonly ServicePort[]): ServicePort[] {
  return ports.filter((p) => ranges.some((r) => p.port >= r.from && p.port <= r.to));
}

/** True when the ranges open (nearly) every port, for messages. */
export function isAllPorts(ranges: readonly PortRange[]): boolean {
  return ranges.some((r) => r.from <= 1 && r.to >= 65535);
}

export function describePorts(hit: readonly ServicePort[]): string {
  return hit.map((p) => `${p.port} (${p.service})`).join(', ');
}

export function worstSeverity(hit: readonly ServicePort[]): Severity {
  return hit.some((p) => p.severity === 'critical') ? 'critical' : 'high';
}

/**
 * Protocol of a firewall rule: `all` opens every port, `tcp` the given range; anything else
 * (udp, icmp) reaches none of these TCP services. AWS writes -1/"all", Azure "*", GCP "all".
 */
export function protocolKind(protocol: string | undefined): 'all' | 'tcp' | 'other' {
  if (protocol === undefined) return 'tcp';
  const p = protocol.trim().toLowerCase();
  if (p === '-1' || p === 'all' || p === '*' || p === 'any') return 'all';
  if (p === 'tcp' || p === '6') return 'tcp';
  return 'other';
}
