/**
 * Network targets: a URL (`http://…`, `https://…`) or `host:port` (`[v6]:port`). Every target is
 * normalised through the WHATWG URL parser, so the numeric forms of an address that a hostile
 * workspace might use to slip past scope (`http://2852039166/`, `0xA9FEA9FE`, `0251.0376.0251.0376`)
 * become the dotted address the scope check sees.
 */
import { WardenError } from '../../domain/index.js';
import type { Asset, AssetKind, Workspace } from '../../domain/index.js';
import { parseIp } from './ip-address.js';

/** Asset kinds whose `location` names a service the probe may check. */
export const PROBE_ASSET_KINDS: ReadonlySet<AssetKind> = new Set<AssetKind>([
  'notebook-server',
  'inference-endpoint',
  'model-registry',
  'monitoring',
  'training-environment',
  'pipeline',
]);

export type TargetScheme = 'http' | 'https' | 'auto';

export interface ProbeTarget {
  /** The text as given (warden.yaml or the command line). */
  readonly input: string;
  /** `http`/`https` from a URL; `auto` for `host:port`, settled by a TLS handshake. */
  readonly scheme: TargetScheme;
  /** Lower-case host name, or the address without brackets. */
  readonly host: string;
  readonly port: number;
  /** Path of a URL target (`/v1/readmission`), `/` otherwise. */
  readonly path: string;
  /** True when `host` is an address literal. */
  readonly hostIsAddress: boolean;
}

export function isNetworkTargetText(text: string): boolean {
  return /^https?:\/\//i.test(text) || /^[^/\\\s]+:\d{1,5}$/.test(text) || /^\[[0-9a-f:.]+\]:\d{1,5}$/i.test(text);
}

function hostOf(url: URL): string {
  const host = url.hostname.toLowerCase();
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Parses a target; throws INPUT_INVALID with the reason when it is not a URL or host:port. */
export function parseTarget(input: string): ProbeTarget {
  const text = input.trim();
  const invalid = (why: string): WardenError =>
    new WardenError('INPUT_INVALID', `Target "${input}" is not a probe target: ${why}. Use http(s)://HOST[:PORT][/PATH] or HOST:PORT.`);
  if (text === '' || /\s/.test(text)) throw invalid('it is empty or contains white space');
  let url: URL;
  let scheme: TargetScheme;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    if (!/^https?:\/\//i.test(text)) throw invalid('only http and https URLs can be probed');
    if (!URL.canParse(text)) throw invalid('the URL does not parse');
    url = new URL(text);
    scheme = url.protocol === 'https:' ? 'https' : 'http';
    if (url.username !== '' || url.password !== '') throw invalid('credentials in the URL are not sent by the probe; remove them');
  } else {
    if (!/^[^/\\?#@]+:\d{1,5}$/.test(text)) throw invalid('expected HOST:PORT');
    if (!URL.canParse(`http://${text}`)) throw invalid('the host does not parse');
    url = new URL(`http://${text}`);
    scheme = 'auto';
    // The URL parser drops a default port (80); keep the one the user wrote.
    const written = Number(text.slice(text.lastIndexOf(':') + 1));
    if (url.port === '' && written !== 80) throw invalid('the port is out of range');
  }
  const host = hostOf(url);
  if (host === '') throw invalid('the host is empty');
  const port = url.port !== '' ? Number(url.port) : scheme === 'https' ? 443 : 80;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid('the port is out of range');
  return {
    input,
    scheme,
    host,
    port,
    path: scheme === 'auto' ? '/' : `${url.pathname}${url.search}` || '/',
    hostIsAddress: parseIp(host) !== undefined,
  };
}

/** `host:port` with brackets around IPv6, for messages and the Host header. */
export function hostPort(target: Pick<ProbeTarget, 'host' | 'port'>): string {
  return target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
}

/** The URL a finding points at: the target's own URL, with the scheme settled. */
export function targetUrl(target: ProbeTarget, scheme: 'http' | 'https'): string {
  const defaultPort = scheme === 'https' ? 443 : 80;
  const authority = target.port === defaultPort ? (target.host.includes(':') ? `[${target.host}]` : target.host) : hostPort(target);
  return `${scheme}://${authority}${target.path}`;
}

export interface DeclaredTarget {
  readonly asset: string;
  readonly kind: AssetKind;
  readonly target: ProbeTarget;
}

/** The target an asset declares, when its kind is probe-able and its location is a URL or host:port. */
export function declaredTargetOf(asset: Asset): ProbeTarget | undefined {
  if (!PROBE_ASSET_KINDS.has(asset.kind) || asset.location === undefined) return undefined;
  if (!isNetworkTargetText(asset.location.trim())) return undefined;
  try {
    return parseTarget(asset.location);
  } catch (error) {
    // A location that looks like host:port but does not parse is not a declaration of scope.
    if (error instanceof WardenError && error.code === 'INPUT_INVALID') return undefined;
    throw error;
  }
}

/** Every network target the workspace declares: the whole of the probe's default scope. */
export function declaredTargets(workspace: Workspace | undefined): DeclaredTarget[] {
  const out: DeclaredTarget[] = [];
  for (const asset of workspace?.assets ?? []) {
    const target = declaredTargetOf(asset);
    if (target !== undefined) out.push({ asset: asset.id, kind: asset.kind, target });
  }
  return out;
}
