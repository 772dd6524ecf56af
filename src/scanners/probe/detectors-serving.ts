/**
 * Detectors for model registries and model servers. Endpoints and shapes, from the projects' docs:
 *  - MLflow: GET /version → the version as plain text; GET
 *    /api/2.0/mlflow/experiments/search?max_results=1 → {"experiments": […]} ({} when empty).
 *  - Ollama (docs.ollama.com OpenAPI): GET /api/version → {"version"}; GET /api/tags →
 *    {"models": [{name, model, digest, size …}]}. Ollama has no authentication.
 *  - OpenAI-compatible servers (vLLM and others): GET /v1/models → {"object": "list", "data":
 *    [{id, object: "model", owned_by}]}; vLLM with --api-key answers 401; GET /version → {"version"}.
 *  - TorchServe: inference GET /ping → {"status": "Healthy"}; management GET /models →
 *    {"models": [{modelName, modelUrl}]}; OPTIONS / → OpenAPI with info.title "TorchServe APIs"
 *    and info.version; a missing token answers 400 "Token Authorization failed …".
 *  - Triton / KServe v2: GET /v2 → {name, version, extensions}; GET /v2/models/stats →
 *    {"model_stats": […]} (the repository index is a POST, so it is never asked for).
 *  - Prometheus metrics: GET /metrics → text exposition (`# HELP`, `# TYPE`).
 * No inference, registration, pull, push or delete request is ever made.
 */
import { API_SECURITY, MODEL_ACCESS } from './probe-rules.js';
import { asksForCredentials, isRecord, jsonOf, stringField, textOf } from './http-session.js';
import type { ProbeResponse } from './http-session.js';
import { boundedVersion, observation } from './service-types.js';
import type { DetectedService, ServiceDetector } from './service-types.js';

const SERVING_CONTROLS = [API_SECURITY, MODEL_ACCESS];

function names(list: unknown[], key: string, max = 5): string {
  const out = list.map((m) => (isRecord(m) ? stringField(m, key) : undefined)).filter((n): n is string => n !== undefined);
  return out.slice(0, max).map((n) => n.slice(0, 80)).join(', ') + (out.length > max ? ', …' : '');
}

function plainVersion(response: ProbeResponse): string | undefined {
  if (response.status !== 200 || response.body.length > 64) return undefined;
  const text = textOf(response).trim();
  return /^\d+\.\d+/.test(text) ? boundedVersion(text) : undefined;
}

export const mlflowDetector: ServiceDetector = {
  id: 'mlflow',
  hint: (root) => /mlflow/i.test(textOf(root).slice(0, 65536)),
  async detect(session, root) {
    const v = await session.get('/version');
    const version = plainVersion(v);
    if (version === undefined && !this.hint(root)) return undefined;
    const search = await session.get('/api/2.0/mlflow/experiments/search?max_results=1');
    const body = jsonOf(search);
    const shaped = search.status === 200 && isRecord(body) && (Array.isArray(body['experiments']) || Object.keys(body).length === 0);
    if (!shaped && !(asksForCredentials(search) && (version !== undefined || this.hint(root)))) return undefined;
    const experiments = isRecord(body) && Array.isArray(body['experiments']) ? body['experiments'] : [];
    return {
      id: 'mlflow',
      product: 'MLflow tracking server',
      cveKey: 'mlflow',
      ...(version !== undefined && { version }),
      unauthenticated: shaped,
      exposures: shaped
        ? [
            {
              ruleId: 'probe/mlflow-unauthenticated',
              endpoint: '/api/2.0/mlflow/experiments/search',
              message: `MLflow listed experiments without credentials${experiments.length > 0 ? ` (first: ${names(experiments, 'name', 1)})` : ''}; runs, artifacts and registered models are readable the same way.`,
              evidence: observation(search),
            },
          ]
        : [],
      controls: [MODEL_ACCESS, API_SECURITY],
      burstPath: '/version',
      role: 'api',
      observed: [observation(v), observation(search)],
    };
  },
};

export const ollamaDetector: ServiceDetector = {
  id: 'ollama',
  hint: (root) => /ollama is running/i.test(textOf(root).slice(0, 256)),
  async detect(session, root) {
    const v = await session.get('/api/version');
    const vBody = jsonOf(v);
    const version = v.status === 200 && isRecord(vBody) && !('ray_version' in vBody) ? boundedVersion(stringField(vBody, 'version')) : undefined;
    if (version === undefined && !this.hint(root)) return undefined;
    const tags = await session.get('/api/tags');
    const body = jsonOf(tags);
    const models = isRecord(body) && Array.isArray(body['models']) ? body['models'] : undefined;
    const open = tags.status === 200 && models !== undefined;
    if (!open && !(this.hint(root) && asksForCredentials(tags))) return undefined;
    return {
      id: 'ollama',
      product: 'Ollama',
      cveKey: 'ollama',
      ...(version !== undefined && { version }),
      unauthenticated: open,
      exposures: open
        ? [
            {
              ruleId: 'probe/ollama-unauthenticated',
              endpoint: '/api/tags',
              message: `Ollama answered without credentials and lists ${models.length} model(s)${models.length > 0 ? `: ${names(models, 'name')}` : ''}; the same API pulls, deletes and runs models.`,
              evidence: observation(tags),
            },
          ]
        : [],
      controls: SERVING_CONTROLS,
      burstPath: '/api/version',
      role: 'api',
      observed: [observation(v), observation(tags)],
    };
  },
};

export const openaiDetector: ServiceDetector = {
  id: 'openai',
  hint: () => false,
  async detect(session) {
    const models = await session.get('/v1/models');
    const body = jsonOf(models);
    const data = isRecord(body) && Array.isArray(body['data']) ? body['data'] : undefined;
    const open = models.status === 200 && data !== undefined && stringField(body, 'object') === 'list';
    // An OpenAI-style error object ({"error": …}) on 401/403 is the API asking for its key.
    const keyWall = (models.status === 401 || models.status === 403) && isRecord(body) && 'error' in body;
    if (!open && !keyWall) return undefined;
    const vllm = data !== undefined && data.some((m) => isRecord(m) && m['owned_by'] === 'vllm');
    let version: string | undefined;
    const observed = [observation(models)];
    if (vllm || keyWall) {
      const v = await session.get('/version');
      observed.push(observation(v));
      if (v.status === 200) version = boundedVersion(stringField(jsonOf(v), 'version'));
    }
    const isVllm = vllm || version !== undefined;
    return {
      id: 'openai',
      product: isVllm ? 'vLLM (OpenAI-compatible API)' : 'OpenAI-compatible API',
      cveKey: isVllm ? 'vllm' : 'openai-compatible',
      ...(version !== undefined && { version }),
      unauthenticated: open,
      exposures: open
        ? [
            {
              ruleId: 'probe/openai-api-unauthenticated',
              endpoint: '/v1/models',
              message: `GET /v1/models listed ${data.length} model(s) without an API key${data.length > 0 ? `: ${names(data, 'id')}` : ''}.`,
              evidence: observation(models),
            },
          ]
        : [],
      controls: SERVING_CONTROLS,
      burstPath: '/v1/models',
      role: 'api',
      observed,
    };
  },
};

const TOKEN_FAILURE = /token authorization failed/i;

export const torchserveDetector: ServiceDetector = {
  id: 'torchserve',
  hint: () => false,
  async detect(session) {
    const ping = await session.get('/ping');
    const pingStatus = stringField(jsonOf(ping), 'status');
    const inference = ping.status === 200 && pingStatus !== undefined && /healthy/i.test(pingStatus);
    let management = false;
    let managementLocked = false;
    let models: unknown[] = [];
    const observed = [observation(ping)];
    if (!inference) {
      const list = await session.get('/models');
      observed.push(observation(list));
      const body = jsonOf(list);
      if (list.status === 200 && isRecord(body) && Array.isArray(body['models'])) {
        models = body['models'];
        management = models.every((m) => isRecord(m) && typeof m['modelName'] === 'string');
      }
      managementLocked = (list.status === 400 || list.status === 401 || list.status === 403) && TOKEN_FAILURE.test(textOf(list));
      if (!management && !managementLocked) return undefined;
    }
    // The API description names the product and its version (OPTIONS is read-only).
    const description = await session.request('OPTIONS', '/');
    observed.push(observation(description));
    const info = isRecord(jsonOf(description)) ? (jsonOf(description) as Record<string, unknown>)['info'] : undefined;
    const titled = stringField(info, 'title') === 'TorchServe APIs';
    if (!titled && !inference && !managementLocked) return undefined;
    const version = titled ? boundedVersion(stringField(info, 'version')) : undefined;
    const port = inference ? 'inference' : 'management';
    return {
      id: 'torchserve',
      product: `TorchServe ${port} API`,
      cveKey: 'torchserve',
      ...(version !== undefined && { version }),
      unauthenticated: management ? true : managementLocked ? false : undefined,
      exposures: management
        ? [
            {
              ruleId: 'probe/torchserve-management-unauthenticated',
              endpoint: '/models',
              message: `The TorchServe management API listed ${models.length} model(s) without a token${models.length > 0 ? `: ${names(models, 'modelName')}` : ''}; it also registers models from URLs, which runs their code.`,
              evidence: observed[1] ?? '',
            },
          ]
        : [],
      controls: SERVING_CONTROLS,
      burstPath: inference ? '/ping' : '/models',
      role: 'api',
      observed,
    };
  },
};

export const tritonDetector: ServiceDetector = {
  id: 'triton',
  hint: () => false,
  async detect(session) {
    const meta = await session.get('/v2');
    const body = jsonOf(meta);
    const name = stringField(body, 'name');
    const shaped = meta.status === 200 && name !== undefined && isRecord(body) && Array.isArray(body['extensions']);
    if (!shaped) return undefined;
    const observed = [observation(meta)];
    const stats = await session.get('/v2/models/stats');
    observed.push(observation(stats));
    const s = jsonOf(stats);
    const modelStats = isRecord(s) && Array.isArray(s['model_stats']) ? s['model_stats'] : undefined;
    const triton = name === 'triton';
    const version = boundedVersion(stringField(body, 'version'));
    return {
      id: 'triton',
      product: triton ? 'NVIDIA Triton Inference Server' : `KServe v2 inference server (${name.slice(0, 40)})`,
      cveKey: triton ? 'triton' : 'kserve-v2',
      ...(version !== undefined && { version }),
      unauthenticated: true,
      exposures: [
        {
          ruleId: 'probe/triton-unauthenticated',
          endpoint: modelStats !== undefined ? '/v2/models/stats' : '/v2',
          message:
            modelStats !== undefined
              ? `The inference server answered without credentials and reports statistics for ${modelStats.length} model version(s)${modelStats.length > 0 ? `: ${names(modelStats, 'name')}` : ''}.`
              : 'The inference server returned its metadata without credentials; its inference API is open the same way.',
          evidence: observed.join('; '),
        },
      ],
      controls: SERVING_CONTROLS,
      burstPath: '/v2',
      role: 'api',
      observed,
    };
  },
};

const METRIC_FAMILIES: readonly [RegExp, string][] = [
  [/^# TYPE ts_/m, 'TorchServe metrics API'],
  [/^# TYPE nv_inference_/m, 'Triton metrics'],
  [/^# TYPE vllm:/m, 'vLLM metrics'],
];

export const metricsDetector: ServiceDetector = {
  id: 'metrics',
  hint: () => false,
  async detect(session) {
    const r = await session.get('/metrics');
    const text = textOf(r);
    if (r.status !== 200 || !/^# (HELP|TYPE) /m.test(text)) return undefined;
    const product = METRIC_FAMILIES.find(([re]) => re.test(text))?.[1] ?? 'Prometheus metrics endpoint';
    return {
      id: 'metrics',
      product,
      cveKey: 'metrics',
      unauthenticated: true,
      exposures: [
        {
          ruleId: 'probe/metrics-exposed',
          endpoint: '/metrics',
          message: `${product} answered without credentials.`,
          evidence: observation(r),
        },
      ],
      controls: [API_SECURITY],
      burstPath: '/metrics',
      role: 'api',
      observed: [observation(r)],
    } satisfies DetectedService;
  },
};
