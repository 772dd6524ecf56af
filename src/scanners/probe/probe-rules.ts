/**
 * The rules of `warden probe`: what a live, read-only check of a declared endpoint can prove.
 * Every rule is about what the service answered to a request without credentials, or what its
 * TLS handshake showed; none is inferred from configuration.
 */
import { WardenError } from '../../domain/index.js';
import type { RuleDescriptor, Severity } from '../../domain/index.js';

export const DEV_ENV = 'WD-INFRA-04';
export const API_SECURITY = 'WD-INFRA-03';
export const MODEL_ACCESS = 'WD-MODEL-01';

interface ProbeRule extends RuleDescriptor {
  readonly severity: Severity;
  readonly remediation: string;
}

const RULES: readonly ProbeRule[] = [
  {
    id: 'probe/jupyter-unauthenticated',
    title: 'Jupyter server answers its API without a token',
    severity: 'critical',
    controls: [DEV_ENV],
    description: 'The kernels, contents or sessions API returned data to a request without a token or password: anyone who reaches the port can read and write files and run code in kernels.',
    remediation: 'Set a token or password (ServerApp.token / IdentityProvider.token, or NotebookApp.token on Notebook 6), bind to 127.0.0.1 and reach it through SSH or an authenticating proxy.',
  },
  {
    id: 'probe/jupyter-terminals-exposed',
    title: 'Jupyter terminals API open without a token',
    severity: 'critical',
    controls: [DEV_ENV],
    description: 'The terminals API is enabled and answered without credentials: a shell on the server is one WebSocket away.',
    remediation: 'Require a token and disable terminals where they are not needed (ServerApp.terminals_enabled = False).',
  },
  {
    id: 'probe/ray-jobs-api-unauthenticated',
    title: 'Ray jobs API readable without credentials',
    severity: 'critical',
    controls: [DEV_ENV],
    description: 'The Ray dashboard lists jobs to anyone; the same API submits jobs, i.e. runs arbitrary code on the cluster (ShadowRay, CVE-2023-48022).',
    remediation: 'Never expose the dashboard port (8265) beyond the cluster; put it behind an authenticating proxy or VPN, and bind it to 127.0.0.1.',
  },
  {
    id: 'probe/mlflow-unauthenticated',
    title: 'MLflow tracking server readable without credentials',
    severity: 'high',
    controls: [MODEL_ACCESS, API_SECURITY],
    description: 'Experiments were listed without credentials: runs, parameters, artifacts and registered models are readable (and by the same API writable).',
    remediation: 'Enable MLflow authentication (mlflow server --app-name basic-auth) or put the server behind an authenticating proxy, and restrict the network path to it.',
  },
  {
    id: 'probe/tensorboard-unauthenticated',
    title: 'TensorBoard readable without credentials',
    severity: 'high',
    controls: [DEV_ENV],
    description: 'TensorBoard has no authentication of its own; its data API answered and names the log directory it serves.',
    remediation: 'Bind TensorBoard to 127.0.0.1 (no --bind_all) and reach it through SSH forwarding or an authenticating proxy.',
  },
  {
    id: 'probe/gradio-unauthenticated',
    title: 'Gradio app usable without login',
    severity: 'high',
    controls: [API_SECURITY, MODEL_ACCESS],
    description: 'The app configuration (/config) was returned without a login: every API endpoint of the app can be called by anyone who reaches it.',
    remediation: 'Launch with auth= (or an OAuth login) and keep the server off public interfaces unless the demo is meant to be public.',
  },
  {
    id: 'probe/streamlit-unauthenticated',
    title: 'Streamlit app reachable without authentication',
    severity: 'medium',
    controls: [DEV_ENV],
    description: 'The Streamlit server answered without credentials. Streamlit has no access control of its own unless the app implements a login.',
    remediation: 'Put the app behind an authenticating proxy or use the app-level login, and bind the server to a private address.',
  },
  {
    id: 'probe/ollama-unauthenticated',
    title: 'Ollama API open without credentials',
    severity: 'high',
    controls: [API_SECURITY, MODEL_ACCESS],
    description: 'Ollama has no authentication: the model list answered, and the same API pulls, creates, copies and deletes models and runs inference.',
    remediation: 'Keep OLLAMA_HOST on 127.0.0.1 and publish it only through a proxy that requires an API key.',
  },
  {
    id: 'probe/openai-api-unauthenticated',
    title: 'OpenAI-compatible API answers without an API key',
    severity: 'high',
    controls: [API_SECURITY, MODEL_ACCESS],
    description: 'GET /v1/models listed models without an API key: completions on the same server are very likely open too (free inference, model extraction, prompt abuse).',
    remediation: 'Start the server with an API key (vLLM --api-key, or VLLM_API_KEY) and terminate it behind an authenticating gateway; note that vLLM checks the key only under /v1.',
  },
  {
    id: 'probe/torchserve-management-unauthenticated',
    title: 'TorchServe management API open without a token',
    severity: 'critical',
    controls: [MODEL_ACCESS, API_SECURITY],
    description: 'The management API listed models without a token; it also registers models from URLs, which executes their handler code (ShellTorch).',
    remediation: 'Keep token authorization enabled (do not pass --disable-token-auth), bind the management address to 127.0.0.1 and restrict allowed_urls.',
  },
  {
    id: 'probe/triton-unauthenticated',
    title: 'Triton inference server answers without credentials',
    severity: 'high',
    controls: [API_SECURITY, MODEL_ACCESS],
    description: 'Triton has no authentication of its own: its metadata and statistics APIs answered and name the models it serves; inference on them is open too.',
    remediation: 'Put Triton behind an authenticating gateway, restrict the protocol APIs (--http-restricted-api) and keep ports 8000-8002 off public interfaces.',
  },
  {
    id: 'probe/kubeflow-unauthenticated',
    title: 'Kubeflow dashboard API answers without login',
    severity: 'high',
    controls: [DEV_ENV],
    description: 'The central dashboard returned its environment (user, namespaces, platform) without a login: the authentication layer in front of it is missing or bypassed.',
    remediation: 'Serve Kubeflow only through its Istio gateway with the OIDC authentication (oauth2-proxy / Dex) in front of every route.',
  },
  {
    id: 'probe/unauthenticated-endpoint',
    title: 'Endpoint answers without credentials',
    severity: 'medium',
    controls: [API_SECURITY],
    description: 'No known AI service was recognised, and the declared endpoint answered 2xx to a request carrying no credentials.',
    remediation: 'Require authentication (API key, OAuth, mTLS) on every route that serves data or models.',
  },
  {
    id: 'probe/metrics-exposed',
    title: 'Metrics endpoint readable without credentials',
    severity: 'low',
    controls: [API_SECURITY],
    description: 'Prometheus metrics answered without credentials; they reveal model names, traffic and host details.',
    remediation: 'Bind the metrics port to a private address reachable only by the monitoring system.',
  },
  {
    id: 'probe/known-cve',
    title: 'Service version has a known vulnerability',
    severity: 'high',
    controls: [API_SECURITY],
    description: 'The version the service reports is in the affected range of a published CVE (see the dated list in known-cves.yaml).',
    remediation: 'Upgrade to a fixed release; where no fix exists, remove network access to the service.',
  },
  {
    id: 'probe/no-tls',
    title: 'Service answers over plain HTTP',
    severity: 'medium',
    controls: [API_SECURITY],
    description: 'The endpoint speaks HTTP without TLS: tokens, prompts and model outputs cross the network in clear text.',
    remediation: 'Terminate TLS 1.2+ in front of the service (or enable its own TLS) and stop answering on plain HTTP.',
  },
  {
    id: 'probe/tls-legacy-protocol',
    title: 'TLS 1.0 or 1.1 accepted',
    severity: 'medium',
    controls: [API_SECURITY],
    description: 'The server completed a handshake limited to TLS 1.0 or 1.1, protocols deprecated by RFC 8996.',
    remediation: 'Set the minimum protocol to TLS 1.2 (ssl_protocols TLSv1.2 TLSv1.3, or the equivalent).',
  },
  {
    id: 'probe/tls-no-tls13',
    title: 'TLS 1.3 not offered',
    severity: 'low',
    controls: [API_SECURITY],
    description: 'The server refused a TLS 1.3 handshake.',
    remediation: 'Enable TLS 1.3 in the TLS terminator.',
  },
  {
    id: 'probe/tls-certificate-expired',
    title: 'TLS certificate expired or not yet valid',
    severity: 'high',
    controls: [API_SECURITY],
    description: 'The certificate is outside its validity period: clients either fail or have been told to ignore certificate errors.',
    remediation: 'Renew the certificate and automate renewal (ACME or the cloud certificate manager).',
  },
  {
    id: 'probe/tls-certificate-expiring',
    title: 'TLS certificate expires within 30 days',
    severity: 'medium',
    controls: [API_SECURITY],
    description: 'The certificate expires soon.',
    remediation: 'Renew the certificate now and automate renewal.',
  },
  {
    id: 'probe/tls-hostname-mismatch',
    title: 'TLS certificate does not name the host',
    severity: 'high',
    controls: [API_SECURITY],
    description: 'The certificate does not cover the host name or address the endpoint is declared with.',
    remediation: 'Issue a certificate whose subjectAltName includes the declared host name.',
  },
  {
    id: 'probe/tls-untrusted-certificate',
    title: 'TLS certificate not trusted (self-signed or unknown issuer)',
    severity: 'high',
    controls: [API_SECURITY],
    description: 'The chain does not verify against the trusted roots (plus any --ca-file given): clients must disable verification, which makes interception trivial.',
    remediation: 'Use a certificate from a trusted (public or internal) CA and distribute the internal root to clients.',
  },
  {
    id: 'probe/no-hsts',
    title: 'HTTPS service sends no Strict-Transport-Security header',
    severity: 'low',
    controls: [API_SECURITY],
    description: 'Without HSTS, a browser can be downgraded to plain HTTP on first visit.',
    remediation: 'Send Strict-Transport-Security: max-age=31536000; includeSubDomains on every HTTPS response.',
  },
  {
    id: 'probe/no-rate-limit',
    title: 'No sign of rate limiting',
    severity: 'medium',
    controls: [API_SECURITY],
    description: 'A short burst of requests got neither 429 nor any RateLimit, RateLimit-Policy, Retry-After or X-RateLimit-* header: nothing slows scraping, model extraction or credential guessing.',
    remediation: 'Add per-client rate limits at the gateway and announce them with RateLimit / RateLimit-Policy headers.',
  },
  {
    id: 'probe/service-detected',
    title: 'Service fingerprint',
    severity: 'info',
    controls: [],
    description: 'What the probe recognised at the endpoint, its version, and whether it asked for credentials.',
    remediation: 'None: inventory information.',
  },
];

export const PROBE_RULES: readonly RuleDescriptor[] = RULES;

export function probeRule(id: string): ProbeRule {
  const rule = RULES.find((r) => r.id === id);
  if (rule === undefined) throw new WardenError('INTERNAL', `Unknown probe rule ${id}.`);
  return rule;
}
