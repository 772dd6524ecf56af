/**
 * Whether a workspace asset's `location` is something on this machine that a file scanner can
 * read, and where. Locations are written by users in many shapes — `repos/ml`, `/srv/models`,
 * `file:///data/m.pt`, `s3://bucket/x`, `hf:org/model`, `mlflow.internal:5000`, `203.0.113.10:8888`,
 * `[2001:db8::1]:8080` — and a file scanner must never mistake a network endpoint for a relative
 * folder (it would report "not found" instead of "nothing to scan here").
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const WINDOWS_DRIVE = /^[a-z]:[\\/]/i;
const SCHEME_LIKE = /^[a-z][a-z0-9+.-]*:[^\\/]/i; // hf:org/model, host:port
const HOST_PORT = /^[^/\\\s]+:\d{1,5}(\/|$)/; // 203.0.113.10:8888, host:8080/path
const IPV6_PORT = /^\[[0-9a-f:.]+\]:\d{1,5}(\/|$)/i;

/** The absolute local path of a location, or undefined when it names something remote. */
export function localPathOf(location: string | undefined, workspaceDir: string): string | undefined {
  if (location === undefined) return undefined;
  const value = location.trim();
  if (value === '') return undefined;
  if (value.toLowerCase().startsWith('file://')) return fileURLToPath(value);
  if (URL_SCHEME.test(value) || HOST_PORT.test(value) || IPV6_PORT.test(value)) return undefined;
  if (SCHEME_LIKE.test(value) && !WINDOWS_DRIVE.test(value)) return undefined;
  return isAbsolute(value) ? value : resolve(workspaceDir, value);
}
