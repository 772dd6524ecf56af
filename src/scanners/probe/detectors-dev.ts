/**
 * Detectors for development tools and dashboards: Jupyter, Ray, TensorBoard, Streamlit, Kubeflow,
 * Gradio. Endpoints and response shapes follow each project's documentation and source:
 *  - Jupyter REST API: GET /api → {"version"}; /api/kernels, /api/sessions, /api/terminals →
 *    arrays; /api/contents → a directory model; 403 without a token when one is set.
 *  - Ray Jobs REST API (docs.ray.io, job-submission/api): GET /api/version → {version,
 *    ray_version, ray_commit}; GET /api/jobs/ lists jobs.
 *  - TensorBoard core plugin: GET /data/environment → {data_location, window_title[, version]};
 *    GET /data/plugins_listing → {plugin: {enabled …}}.
 *  - Streamlit: GET /_stcore/health → "ok" (older releases: /healthz).
 *  - Kubeflow central dashboard: GET /api/workgroup/env-info → {user, platform{kubeflowVersion},
 *    namespaces[, isClusterAdmin]}.
 *  - Gradio routes: GET /config and /info, both behind login_check (401 {"detail": "Not
 *    authenticated"} when auth is set).
 * Only reads are made; nothing that starts a kernel, a terminal or a job is ever requested.
 */
import { DEV_ENV, API_SECURITY, MODEL_ACCESS } from './probe-rules.js';
import { asksForCredentials, isRecord, jsonOf, stringField, textOf } from './http-session.js';
import type { ProbeResponse } from './http-session.js';
import { boundedVersion, observation } from './service-types.js';
import type { Exposure, ServiceDetector } from './service-types.js';

function bodyMentions(root: ProbeResponse, pattern: RegExp): boolean {
  return pattern.test(textOf(root).slice(0, 65536));
}

function locationOf(response: ProbeResponse): string {
  return (response.headers['location'] ?? '').toLowerCase();
}

export const jupyterDetector: ServiceDetector = {
  id: 'jupyter',
  hint: (root) => /\/(tree|lab)\b|next=%2f(tree|lab)/i.test(locationOf(root)) || bodyMentions(root, /jupyter/i),
  async detect(session, root) {
    const api = await session.get('/api');
    const body = jsonOf(api);
    const version = api.status === 200 && isRecord(body) && Object.keys(body).length === 1 ? boundedVersion(stringField(body, 'version')) : undefined;
    if (version === undefined && !(this.hint(root) && asksForCredentials(api))) return undefined;
    const observed = [observation(api)];
    const readable: string[] = [];
    let evidence = '';
    for (const path of ['/api/kernels', '/api/sessions', '/api/contents?content=0']) {
      const r = await session.get(path);
      observed.push(observation(r));
      const data = jsonOf(r);
      if (r.status === 200 && (Array.isArray(data) || isRecord(data))) {
        readable.push(path.replace(/\?.*$/, ''));
        if (Array.isArray(data) && evidence === '') evidence = `${path} listed ${data.length} item(s)`;
      }
    }
    const terminals = await session.get('/api/terminals');
    observed.push(observation(terminals));
    const exposures: Exposure[] = [];
    if (readable.length > 0) {
      exposures.push({
        ruleId: 'probe/jupyter-unauthenticated',
        endpoint: readable[0] as string,
        message: `Jupyter answered ${readable.join(', ')} without a token: anyone who reaches it can read files and run code.`,
        evidence: evidence || `${readable[0]} → 200`,
      });
      if (terminals.status === 200 && Array.isArray(jsonOf(terminals))) {
        exposures.push({
          ruleId: 'probe/jupyter-terminals-exposed',
          endpoint: '/api/terminals',
          message: 'The Jupyter terminals API is enabled and open without a token: a shell on the host is one request away.',
          evidence: observation(terminals),
        });
      }
    }
    const major = version === undefined ? undefined : Number(version.split('.')[0]);
    // Notebook < 7 reports its own version (4.x–6.x); Jupyter Server (and Notebook 7, JupyterLab
    // on it) reports the server's (1.x, 2.x).
    const notebook = major !== undefined && major >= 4;
    return {
      id: 'jupyter',
      product: notebook ? 'Jupyter Notebook' : 'Jupyter Server',
      cveKey: notebook ? 'jupyter-notebook' : 'jupyter-server',
      ...(version !== undefined && { version }),
      unauthenticated: readable.length > 0 ? true : observed.slice(1).some((o) => / → 40[13]$/.test(o)) ? false : undefined,
      exposures,
      controls: [DEV_ENV],
      burstPath: '/api',
      role: 'dev',
      observed,
    };
  },
};

export const rayDetector: ServiceDetector = {
  id: 'ray',
  hint: (root) => bodyMentions(root, /ray dashboard|<title>\s*ray\b/i),
  async detect(session, root) {
    const v = await session.get('/api/version');
    const body = jsonOf(v);
    const version = v.status === 200 ? boundedVersion(stringField(body, 'ray_version')) : undefined;
    if (version === undefined && !(this.hint(root) && asksForCredentials(v))) return undefined;
    const jobs = await session.get('/api/jobs/');
    const list = jsonOf(jobs);
    const open = jobs.status === 200 && (Array.isArray(list) || isRecord(list));
    const count = Array.isArray(list) ? list.length : isRecord(list) ? Object.keys(list).length : 0;
    return {
      id: 'ray',
      product: 'Ray dashboard',
      cveKey: 'ray',
      ...(version !== undefined && { version }),
      unauthenticated: open ? true : asksForCredentials(jobs) ? false : undefined,
      exposures: open
        ? [
            {
              ruleId: 'probe/ray-jobs-api-unauthenticated',
              endpoint: '/api/jobs/',
              message: `The Ray jobs API answered without credentials (${count} job(s) listed); the same API accepts job submissions, i.e. runs code on the cluster.`,
              evidence: observation(jobs),
            },
          ]
        : [],
      controls: [DEV_ENV],
      burstPath: '/api/version',
      role: 'dev',
      observed: [observation(v), observation(jobs)],
    };
  },
};

export const tensorboardDetector: ServiceDetector = {
  id: 'tensorboard',
  hint: (root) => bodyMentions(root, /tensorboard/i),
  async detect(session, root) {
    const env = await session.get('/data/environment');
    const body = jsonOf(env);
    const shaped = env.status === 200 && isRecord(body) && ('data_location' in body || 'window_title' in body);
    if (!shaped && !(this.hint(root) && asksForCredentials(env))) return undefined;
    const observed = [observation(env)];
    let plugins = '';
    if (shaped) {
      const listing = await session.get('/data/plugins_listing');
      observed.push(observation(listing));
      const l = jsonOf(listing);
      if (isRecord(l)) plugins = Object.entries(l).filter(([, p]) => isRecord(p) && p['enabled'] !== false).map(([name]) => name).slice(0, 10).join(', ');
    }
    const location = stringField(body, 'data_location');
    const version = boundedVersion(stringField(body, 'version'));
    return {
      id: 'tensorboard',
      product: 'TensorBoard',
      cveKey: 'tensorboard',
      ...(version !== undefined && { version }),
      unauthenticated: shaped ? true : false,
      exposures: shaped
        ? [
            {
              ruleId: 'probe/tensorboard-unauthenticated',
              endpoint: '/data/environment',
              message: `TensorBoard answered without credentials${location ? ` and serves the log directory ${JSON.stringify(location.slice(0, 200))}` : ''}.`,
              evidence: plugins ? `active plugins: ${plugins}` : observation(env),
            },
          ]
        : [],
      controls: [DEV_ENV],
      burstPath: '/data/environment',
      role: 'dev',
      observed,
    };
  },
};

export const streamlitDetector: ServiceDetector = {
  id: 'streamlit',
  hint: (root) => bodyMentions(root, /streamlit/i),
  async detect(session, root) {
    let health = await session.get('/_stcore/health');
    if (!(health.status === 200 && textOf(health).trim() === 'ok') && this.hint(root)) health = await session.get('/healthz');
    const healthy = health.status === 200 && textOf(health).trim() === 'ok';
    if (!healthy && !(this.hint(root) && asksForCredentials(health))) return undefined;
    // The health route is open by design; the app itself is the root page.
    const open = healthy && root.status >= 200 && root.status < 300;
    return {
      id: 'streamlit',
      product: 'Streamlit',
      cveKey: 'streamlit',
      unauthenticated: open ? true : asksForCredentials(root) ? false : undefined,
      exposures: open
        ? [
            {
              ruleId: 'probe/streamlit-unauthenticated',
              endpoint: '/',
              message: 'The Streamlit app answered without credentials; unless the app implements its own login, its data and actions are open to anyone who reaches it.',
              evidence: `${observation(root)}; ${observation(health)}`,
            },
          ]
        : [],
      controls: [DEV_ENV],
      burstPath: health.path,
      role: 'dev',
      observed: [observation(root), observation(health)],
    };
  },
};

export const kubeflowDetector: ServiceDetector = {
  id: 'kubeflow',
  hint: (root) => locationOf(root).includes('/dex/') || bodyMentions(root, /kubeflow|centraldashboard/i),
  async detect(session, root) {
    const info = await session.get('/api/workgroup/env-info');
    const body = jsonOf(info);
    const shaped = info.status === 200 && isRecord(body) && 'user' in body && ('namespaces' in body || 'platform' in body);
    if (!shaped && !(this.hint(root) && asksForCredentials(info))) return undefined;
    const platform = isRecord(body) ? body['platform'] : undefined;
    const version = boundedVersion(stringField(platform, 'kubeflowVersion'));
    const namespaces = isRecord(body) && Array.isArray(body['namespaces']) ? body['namespaces'].length : 0;
    return {
      id: 'kubeflow',
      product: 'Kubeflow central dashboard',
      cveKey: 'kubeflow',
      ...(version !== undefined && { version }),
      unauthenticated: shaped ? true : false,
      exposures: shaped
        ? [
            {
              ruleId: 'probe/kubeflow-unauthenticated',
              endpoint: '/api/workgroup/env-info',
              message: `The Kubeflow dashboard returned its environment without a login (${namespaces} namespace binding(s)).`,
              evidence: observation(info),
            },
          ]
        : [],
      controls: [DEV_ENV],
      burstPath: '/api/workgroup/env-info',
      role: 'dev',
      observed: [observation(info)],
    };
  },
};

export const gradioDetector: ServiceDetector = {
  id: 'gradio',
  hint: (root) => bodyMentions(root, /gradio/i),
  async detect(session, root) {
    const config = await session.get('/config');
    const body = jsonOf(config);
    const shaped = config.status === 200 && isRecord(body) && typeof body['version'] === 'string' && (Array.isArray(body['components']) || 'mode' in body);
    const loginWall = config.status === 401 && stringField(jsonOf(config), 'detail') === 'Not authenticated';
    if (!shaped && !loginWall && !(this.hint(root) && asksForCredentials(config))) return undefined;
    const observed = [observation(config)];
    let endpoints = '';
    if (shaped) {
      const info = await session.get('/info');
      observed.push(observation(info));
      const named = isRecord(jsonOf(info)) ? (jsonOf(info) as Record<string, unknown>)['named_endpoints'] : undefined;
      if (isRecord(named)) endpoints = Object.keys(named).slice(0, 10).map((n) => n.slice(0, 80)).join(', ');
    }
    const version = boundedVersion(stringField(body, 'version'));
    return {
      id: 'gradio',
      product: 'Gradio app',
      cveKey: 'gradio',
      ...(shaped && version !== undefined && { version }),
      unauthenticated: shaped ? true : false,
      exposures: shaped
        ? [
            {
              ruleId: 'probe/gradio-unauthenticated',
              endpoint: '/config',
              message: `The Gradio app returned its configuration without a login${endpoints ? `; callable endpoints include ${endpoints}` : ''}.`,
              evidence: observed.join('; '),
            },
          ]
        : [],
      controls: [API_SECURITY, MODEL_ACCESS],
      burstPath: '/config',
      role: 'api',
      observed,
    };
  },
};
