/**
 * Scope: which targets the probe may send traffic to. A target is in scope when warden.yaml
 * declares it (an asset's `location`) or an explicit `--allow-target HOST:PORT|CIDR` covers it;
 * link-local and cloud metadata addresses are refused even then, unless an --allow-target names
 * them (a HOST:PORT with that host, or a block inside the sensitive range: 0.0.0.0/0 does not
 * count as naming 169.254.169.254).
 *
 * Threat assumptions: the workspace may be hostile (a location pointing at the metadata service
 * to steal instance credentials through us), and DNS may be hostile (a declared name that
 * resolves to 169.254.169.254, or to a different address on the second lookup). So names are
 * resolved once, every resolved address is checked, and the probe connects to the checked
 * address itself (`pinned`), never to the name again.
 */
import { lookup } from 'node:dns/promises';
import { WardenError, describeError } from '../../domain/index.js';
import type { Workspace } from '../../domain/index.js';
import { cidrContains, cidrWithin, formatCidr, formatIp, parseCidr, parseIp, unwrapIPv4 } from './ip-address.js';
import type { Cidr, IpAddress } from './ip-address.js';
import { declaredTargets, hostPort, parseTarget } from './probe-target.js';
import type { DeclaredTarget, ProbeTarget } from './probe-target.js';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to every address it has (node:dns lookup by default; tests inject one). */
export type HostResolver = (host: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolver: HostResolver = async (host) => {
  const answers = await lookup(host, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

export type AllowTarget =
  | { readonly kind: 'host-port'; readonly host: string; readonly port: number; readonly text: string }
  | { readonly kind: 'cidr'; readonly cidr: Cidr; readonly text: string };

interface SensitiveBlock {
  readonly cidr: Cidr;
  readonly why: string;
}

function block(text: string, why: string): SensitiveBlock {
  const cidr = parseCidr(text);
  if (cidr === undefined) throw new WardenError('INTERNAL', `Bad built-in block ${text}.`);
  return { cidr, why };
}

/** Built on first use (module-load order: see the scanners index). */
let sensitiveBlocks: readonly SensitiveBlock[] | undefined;
function sensitive(): readonly SensitiveBlock[] {
  sensitiveBlocks ??= [
    block('169.254.169.254/32', 'the cloud instance metadata service (AWS, Azure, GCP, OpenStack)'),
    block('100.100.100.200/32', 'the Alibaba Cloud metadata service'),
    block('fd00:ec2::254/128', 'the AWS instance metadata service (IPv6)'),
    block('169.254.0.0/16', 'a link-local address (169.254.0.0/16)'),
    block('fe80::/10', 'an IPv6 link-local address (fe80::/10)'),
    block('0.0.0.0/8', 'an unspecified address, which reaches the local host'),
    block('::/128', 'the unspecified IPv6 address, which reaches the local host'),
  ];
  return sensitiveBlocks;
}

/** Host names of metadata services, refused by name before any lookup. */
const METADATA_HOSTS: ReadonlySet<string> = new Set(['metadata.google.internal', 'metadata.google.internal.']);

export function parseAllowTarget(text: string): AllowTarget {
  const trimmed = text.trim();
  const cidr = parseCidr(trimmed);
  if (cidr !== undefined) return { kind: 'cidr', cidr, text: formatCidr(cidr) };
  try {
    const target = parseTarget(trimmed);
    if (target.scheme !== 'auto') throw new WardenError('USAGE', 'a URL');
    return { kind: 'host-port', host: target.host, port: target.port, text: hostPort(target) };
  } catch (error) {
    throw new WardenError('USAGE', `--allow-target "${text}" is neither HOST:PORT nor an address block (CIDR such as 10.0.0.0/24).`, { cause: error });
  }
}

export interface ScopeDecision {
  readonly target: ProbeTarget;
  /** Every address the host resolved to (all of them passed the checks). */
  readonly addresses: readonly ResolvedAddress[];
  /** The address the probe connects to: resolved once, checked, then used for every connection. */
  readonly pinned: ResolvedAddress;
  /** Why the target is in scope: `declared by asset X` or `--allow-target Y`. */
  readonly reason: string;
  /** Asset that declares the target, when one does. */
  readonly asset?: string;
}

export type ScopeOutcome =
  | { readonly ok: true; readonly decision: ScopeDecision }
  | { readonly ok: false; readonly refused: true; readonly target: string; readonly reason: string }
  | { readonly ok: false; readonly refused: false; readonly target: string; readonly reason: string };

export class ScopePolicy {
  readonly declared: readonly DeclaredTarget[];
  readonly allowed: readonly AllowTarget[];
  readonly #resolve: HostResolver;

  constructor(declared: readonly DeclaredTarget[], allowed: readonly AllowTarget[], resolve: HostResolver = systemResolver) {
    this.declared = declared;
    this.allowed = allowed;
    this.#resolve = resolve;
  }

  static fromWorkspace(workspace: Workspace | undefined, allowTargets: readonly string[], resolve?: HostResolver): ScopePolicy {
    return new ScopePolicy(declaredTargets(workspace), allowTargets.map(parseAllowTarget), resolve);
  }

  /** The asset declaring host:port, if any. */
  declaredBy(target: ProbeTarget): DeclaredTarget | undefined {
    return this.declared.find((d) => d.target.host === target.host && d.target.port === target.port);
  }

  /**
   * Decides one target. Refusals (out of scope, sensitive address) come back as `refused: true`;
   * a name that does not resolve as `refused: false` (not a policy matter: nothing to probe).
   */
  async check(target: ProbeTarget): Promise<ScopeOutcome> {
    const name = hostPort(target);
    const refuse = (reason: string): ScopeOutcome => ({ ok: false, refused: true, target: target.input, reason: `${name}: ${reason}` });
    const declared = this.declaredBy(target);
    const byHostPort = this.allowed.find((a) => a.kind === 'host-port' && a.host === target.host && a.port === target.port);

    if (METADATA_HOSTS.has(target.host) && byHostPort === undefined) {
      return refuse(`${target.host} is a cloud metadata service; probing it is refused unless --allow-target ${name} names it`);
    }

    let addresses: readonly ResolvedAddress[];
    const literal = parseIp(target.host);
    if (literal !== undefined) {
      addresses = [{ address: formatIp(literal), family: literal.family }];
    } else {
      try {
        addresses = await this.#resolve(target.host);
      } catch (error) {
        return { ok: false, refused: false, target: target.input, reason: `${name}: the name does not resolve (${describeError(error)})` };
      }
      if (addresses.length === 0) return { ok: false, refused: false, target: target.input, reason: `${name}: the name resolves to no address` };
    }

    const parsed: IpAddress[] = [];
    for (const a of addresses) {
      const ip = parseIp(a.address);
      if (ip === undefined) return refuse(`the resolver returned "${a.address}", which is not an address`);
      parsed.push(ip);
    }

    // Sensitive addresses first: they are refused whatever else allows the target.
    for (const ip of parsed) {
      const hit = sensitive().find((s) => cidrContains(s.cidr, ip));
      if (hit === undefined) continue;
      const named =
        byHostPort !== undefined ||
        this.allowed.some((a) => a.kind === 'cidr' && cidrWithin(a.cidr, hit.cidr) && cidrContains(a.cidr, ip));
      if (!named) {
        const via = literal === undefined ? ` (${target.host} resolves to ${formatIp(unwrapIPv4(ip))})` : '';
        return refuse(`${formatIp(unwrapIPv4(ip))} is ${hit.why}${via}; it is refused unless an --allow-target names it`);
      }
    }

    let reason: string | undefined;
    if (declared !== undefined) reason = `declared by asset ${declared.asset}`;
    else if (byHostPort !== undefined) reason = `--allow-target ${byHostPort.text}`;
    else {
      // A block must cover every address the name has: a name that resolves partly outside the
      // block could be switched to the outside address between two lookups.
      const covering = this.allowed.find((a) => a.kind === 'cidr' && parsed.every((ip) => cidrContains(a.cidr, ip)));
      if (covering !== undefined) reason = `--allow-target ${covering.text}`;
    }
    if (reason === undefined) {
      const resolvedNote = literal === undefined ? ` (resolves to ${addresses.map((a) => a.address).join(', ')})` : '';
      return refuse(`not declared in warden.yaml and not covered by --allow-target${resolvedNote}; declare it as an asset location or pass --allow-target ${name}`);
    }
    const pinned = addresses[0] as ResolvedAddress;
    return {
      ok: true,
      decision: { target, addresses, pinned, reason, ...(declared !== undefined && { asset: declared.asset }) },
    };
  }
}
