/**
 * The ordered list of detectors and the identification loop. Detectors whose root-page hint
 * matches go first; the first detector that recognises the service wins. Requests for the same
 * path are shared between detectors (HttpSession.get memoises), so an unknown service costs about
 * a dozen GETs in all, inside the per-target budget.
 */
import type { HttpSession, ProbeResponse } from './http-session.js';
import { gradioDetector, jupyterDetector, kubeflowDetector, rayDetector, streamlitDetector, tensorboardDetector } from './detectors-dev.js';
import { metricsDetector, mlflowDetector, ollamaDetector, openaiDetector, torchserveDetector, tritonDetector } from './detectors-serving.js';
import type { DetectedService, ServiceDetector } from './service-types.js';

/** Built on first use (see the scanners index about module-load order). */
let ordered: readonly ServiceDetector[] | undefined;
export function serviceDetectors(): readonly ServiceDetector[] {
  ordered ??= [
    jupyterDetector,
    rayDetector,
    ollamaDetector,
    mlflowDetector,
    tensorboardDetector,
    gradioDetector,
    streamlitDetector,
    kubeflowDetector,
    tritonDetector,
    torchserveDetector,
    openaiDetector,
    metricsDetector,
  ];
  return ordered;
}

export interface Identification {
  readonly service?: DetectedService;
  /** True when the request budget ran out before every detector had its say. */
  readonly exhausted: boolean;
}

export async function identifyService(session: HttpSession, root: ProbeResponse): Promise<Identification> {
  const all = serviceDetectors();
  const hinted = all.filter((d) => d.hint(root));
  const rest = all.filter((d) => !hinted.includes(d));
  for (const detector of [...hinted, ...rest]) {
    if (session.remaining <= 0) return { exhausted: true };
    const found = await detector.detect(session, root);
    if (found !== undefined) return { service: found, exhausted: false };
  }
  return { exhausted: session.stats.skipped > 0 };
}
