/**
 * What a service detector reports: which product answered, its version, whether it served data
 * to a request without credentials, and the exposures that follow from that. Detectors only
 * read: each request goes through HttpSession, which cannot send anything but GET/HEAD/OPTIONS.
 */
import type { Severity } from '../../domain/index.js';
import type { HttpSession, ProbeResponse } from './http-session.js';

export type ServiceId =
  | 'jupyter'
  | 'ray'
  | 'mlflow'
  | 'tensorboard'
  | 'gradio'
  | 'streamlit'
  | 'ollama'
  | 'openai'
  | 'torchserve'
  | 'triton'
  | 'kubeflow'
  | 'metrics';

export interface Exposure {
  readonly ruleId: string;
  /** Lower than the rule's severity when the evidence is weaker; never higher. */
  readonly severity?: Severity;
  readonly message: string;
  /** The path that proved it (`/api/kernels`). */
  readonly endpoint: string;
  readonly evidence?: string;
}

export interface DetectedService {
  readonly id: ServiceId;
  /** Human name: `Jupyter Notebook`, `vLLM (OpenAI-compatible)` … */
  readonly product: string;
  /** Key into known-cves.yaml (`jupyter-notebook`, `ray` …). */
  readonly cveKey: string;
  readonly version?: string;
  /**
   * true: served data without credentials; false: asked for credentials (401/403 or a login
   * redirect); undefined: the probe could not tell.
   */
  readonly unauthenticated: boolean | undefined;
  readonly exposures: readonly Exposure[];
  /** Catalog controls this service's findings are evidence for. */
  readonly controls: readonly string[];
  /** A cheap GET for the rate-limit burst. */
  readonly burstPath: string;
  /** Development tools (notebooks, dashboards) or serving APIs: sets the rate-limit severity. */
  readonly role: 'dev' | 'api';
  /** The requests that decided the verdict, for the evidence line. */
  readonly observed: readonly string[];
}

export interface ServiceDetector {
  readonly id: ServiceId;
  /** Whether the root page suggests this service (tried first then). */
  hint(root: ProbeResponse): boolean;
  /** Identifies and judges; undefined when the answers are not this service's. */
  detect(session: HttpSession, root: ProbeResponse): Promise<DetectedService | undefined>;
}

/** `GET /api/kernels → 403` style line for evidence. */
export function observation(response: ProbeResponse): string {
  const what = response.status === 0 ? (response.error ?? 'no answer') : String(response.status);
  return `${response.method} ${response.path} → ${what}`;
}

/**
 * A version string as a server reported it, kept only when it looks like one: the text is
 * attacker-controlled and goes into messages, properties and CVE matching.
 */
export function boundedVersion(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  return /^v?\d[0-9A-Za-z._+-]{0,63}$/.test(trimmed) ? trimmed : undefined;
}
