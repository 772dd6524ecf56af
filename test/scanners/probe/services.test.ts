// Fingerprinting and judging each service against stand-ins that reproduce its documented API,
// open and protected. Every stand-in records what it was sent: the probe must send only GET, HEAD
// and OPTIONS, never credentials, and at most 30 requests per target.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Finding } from '../../../src/domain/index.js';
import { ScopePolicy, runProbe } from '../../../src/scanners/probe/index.js';
import { startStandIn } from '../../fixtures/probe/stand-in-servers.js';
import type { ListenOptions, RunningServer, StandInBehaviour, StandInKind } from '../../fixtures/probe/stand-in-servers.js';

const servers: RunningServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function probe(kind: StandInKind, behaviour: StandInBehaviour = {}, listen: ListenOptions = {}): Promise<{ findings: Finding[]; server: RunningServer; ids: string[] }> {
  const server = await startStandIn(kind, behaviour, listen);
  servers.push(server);
  const result = await runProbe([{ text: server.hostPort }], ScopePolicy.fromWorkspace(undefined, ['127.0.0.0/8', '::1/128']), { timeoutMs: 2000 });
  // What the probe did, checked on the server side.
  assert.ok(server.requests.length > 0, 'the stand-in saw no request');
  assert.ok(server.requests.length <= 30, `${server.requests.length} requests sent to one target`);
  for (const r of server.requests) {
    assert.ok(['GET', 'HEAD', 'OPTIONS'].includes(r.method), `${r.method} ${r.path} was sent`);
    assert.equal(r.credentials, false, `credentials sent with ${r.path}`);
  }
  assert.ok(!server.requests.some((r) => r.path.startsWith('/v2/repository')), 'the Triton repository API was called');
  return { findings: result.findings, server, ids: result.findings.map((f) => f.ruleId) };
}

function only(findings: Finding[], ruleId: string): Finding {
  const matching = findings.filter((f) => f.ruleId === ruleId);
  assert.equal(matching.length, 1, `expected one ${ruleId}, got: ${findings.map((f) => f.ruleId).join(', ')}`);
  return matching[0] as Finding;
}

function cves(findings: Finding[]): string[] {
  return findings.filter((f) => f.ruleId === 'probe/known-cve').map((f) => String(f.properties?.['cve'])).sort();
}

function detected(findings: Finding[]): Finding {
  return only(findings, 'probe/service-detected');
}

describe('probe service fingerprints', () => {
  it('Ray: an open jobs API is critical, with ShadowRay and the 2.8.1 fixes by version', async () => {
    const { findings } = await probe('ray', { version: '2.8.0' });
    assert.equal(only(findings, 'probe/ray-jobs-api-unauthenticated').severity, 'critical');
    assert.equal(detected(findings).properties?.['version'], '2.8.0');
    assert.deepEqual(cves(findings), ['CVE-2023-48022', 'CVE-2023-6019', 'CVE-2023-6020', 'CVE-2026-27482']);
    assert.equal(findings.find((f) => f.properties?.['cve'] === 'CVE-2023-48022')?.severity, 'critical');
  });

  it('Ray behind an authenticating proxy: no exposure, no ShadowRay finding', async () => {
    const { findings, ids } = await probe('ray', { auth: true });
    assert.ok(!ids.includes('probe/ray-jobs-api-unauthenticated'));
    assert.deepEqual(cves(findings), []);
    assert.match(detected(findings).message, /credentials required: yes/);
  });

  it('MLflow: experiments readable without credentials, and path-traversal CVEs for 2.2.0', async () => {
    const { findings } = await probe('mlflow', { version: '2.2.0' });
    const f = only(findings, 'probe/mlflow-unauthenticated');
    assert.equal(f.severity, 'high');
    assert.deepEqual(f.controls, ['WD-MODEL-01', 'WD-INFRA-03']);
    assert.deepEqual(cves(findings), ['CVE-2023-1177', 'CVE-2023-2356', 'CVE-2023-2780', 'CVE-2023-6977']);
  });

  it('MLflow 2.9.2 has none of the listed CVEs', async () => {
    const { findings } = await probe('mlflow', { version: '2.9.2' });
    assert.deepEqual(cves(findings), []);
  });

  it('MLflow with basic auth is not reported as open', async () => {
    const { ids, findings } = await probe('mlflow', { auth: true });
    assert.ok(!ids.includes('probe/mlflow-unauthenticated'));
    assert.match(detected(findings).message, /MLflow.*credentials required: yes/);
  });

  it('TensorBoard: open data API, naming the log directory', async () => {
    const { findings } = await probe('tensorboard');
    assert.match(only(findings, 'probe/tensorboard-unauthenticated').message, /\/srv\/runs\/readmission/);
    assert.deepEqual(only(findings, 'probe/tensorboard-unauthenticated').controls, ['WD-INFRA-04']);
  });

  it('Gradio: /config without login is high; with auth it is not', async () => {
    const open = await probe('gradio', { version: '4.10.0' });
    assert.equal(only(open.findings, 'probe/gradio-unauthenticated').severity, 'high');
    assert.deepEqual(cves(open.findings), ['CVE-2026-28414']);
    const locked = await probe('gradio', { auth: true, version: '4.10.0' });
    assert.ok(!locked.ids.includes('probe/gradio-unauthenticated'));
    assert.match(detected(locked.findings).message, /^Gradio app at .*; credentials required: yes/);
  });

  it('Streamlit: reachable without authentication is medium', async () => {
    const { findings } = await probe('streamlit');
    assert.equal(only(findings, 'probe/streamlit-unauthenticated').severity, 'medium');
  });

  it('Ollama: model list without credentials, and the 0.17.1 fix by version', async () => {
    const { findings } = await probe('ollama', { version: '0.17.0' });
    assert.match(only(findings, 'probe/ollama-unauthenticated').message, /llama3:8b/);
    assert.deepEqual(cves(findings), ['CVE-2026-7482']);
  });

  it('Ollama behind a key-checking proxy: nothing open is reported', async () => {
    const { ids, findings } = await probe('ollama', { auth: true });
    assert.ok(!ids.includes('probe/ollama-unauthenticated'));
    assert.ok(!ids.includes('probe/unauthenticated-endpoint'));
    assert.ok(!findings.some((f) => f.severity === 'critical' || f.severity === 'high'));
  });

  it('vLLM: /v1/models without a key is high; with a key the version (outside /v1) still matches CVEs', async () => {
    const open = await probe('vllm', { version: '0.8.4' });
    const f = only(open.findings, 'probe/openai-api-unauthenticated');
    assert.equal(f.severity, 'high');
    assert.equal(f.properties?.['product'], 'vLLM (OpenAI-compatible API)');
    assert.deepEqual(cves(open.findings), ['CVE-2025-48944']);
    const locked = await probe('vllm', { auth: true, version: '0.8.4' });
    assert.ok(!locked.ids.includes('probe/openai-api-unauthenticated'));
    assert.deepEqual(cves(locked.findings), ['CVE-2025-48944']);
    const fixed = await probe('vllm', { version: '0.9.0' });
    assert.deepEqual(cves(fixed.findings), []);
  });

  it('another OpenAI-compatible server without a key is reported too', async () => {
    const { findings } = await probe('openai');
    assert.equal(only(findings, 'probe/openai-api-unauthenticated').properties?.['product'], 'OpenAI-compatible API');
  });

  it('TorchServe management API: open is critical; with a token it is not, and ShellTorch matches by version', async () => {
    const open = await probe('torchserve-management', { version: '0.8.1' });
    assert.equal(only(open.findings, 'probe/torchserve-management-unauthenticated').severity, 'critical');
    assert.deepEqual(cves(open.findings), ['CVE-2023-43654']);
    const locked = await probe('torchserve-management', { auth: true, version: '0.8.1' });
    assert.ok(!locked.ids.includes('probe/torchserve-management-unauthenticated'));
    assert.match(detected(locked.findings).message, /^TorchServe management API 0\.8\.1 at .*; credentials required: yes/);
    const patched = await probe('torchserve-management', { auth: true, version: '0.8.2' });
    assert.deepEqual(cves(patched.findings), []);
  });

  it('TorchServe inference and metrics ports are recognised', async () => {
    const inference = await probe('torchserve-inference', { version: '0.12.0' });
    assert.match(detected(inference.findings).message, /TorchServe inference API 0\.12\.0/);
    const metrics = await probe('torchserve-metrics');
    assert.match(only(metrics.findings, 'probe/metrics-exposed').message, /TorchServe metrics API/);
  });

  it('Triton: metadata and model statistics without credentials, via GET only', async () => {
    const { findings, server } = await probe('triton');
    assert.match(only(findings, 'probe/triton-unauthenticated').message, /densenet_onnx/);
    assert.ok(server.requests.some((r) => r.path === '/v2/models/stats' && r.method === 'GET'));
    const locked = await probe('triton', { auth: true });
    assert.ok(!locked.ids.includes('probe/triton-unauthenticated'));
  });

  it('Kubeflow: env-info without login is high; behind Dex it is recognised as protected', async () => {
    const open = await probe('kubeflow');
    assert.equal(only(open.findings, 'probe/kubeflow-unauthenticated').severity, 'high');
    assert.equal(detected(open.findings).properties?.['version'], '1.8.0');
    const locked = await probe('kubeflow', { auth: true });
    assert.ok(!locked.ids.includes('probe/kubeflow-unauthenticated'));
    assert.match(detected(locked.findings).message, /Kubeflow.*credentials required: yes/);
  });

  it('an unrecognised endpoint that answers 200 without credentials is medium; one that asks for them is not reported', async () => {
    const open = await probe('plain');
    assert.equal(only(open.findings, 'probe/unauthenticated-endpoint').severity, 'medium');
    const locked = await probe('plain', { auth: true });
    assert.ok(!locked.ids.includes('probe/unauthenticated-endpoint'));
  });

  it('plain HTTP and missing rate limits are reported; announced limits or 429 are accepted', async () => {
    const bare = await probe('vllm');
    assert.equal(only(bare.findings, 'probe/no-tls').severity, 'medium');
    assert.equal(only(bare.findings, 'probe/no-rate-limit').severity, 'medium');
    const announced = await probe('vllm', {}, { headers: { 'ratelimit-policy': '"default";q=100;w=60', ratelimit: '"default";r=99;t=60' } });
    assert.ok(!announced.ids.includes('probe/no-rate-limit'));
    const throttled = await probe('vllm', {}, { rateLimitAfter: 6 });
    assert.ok(!throttled.ids.includes('probe/no-rate-limit'));
  });

  it('works on IPv6 loopback too', async (t) => {
    const probeServer = await startStandIn('plain', {}, { host: '::1' }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL' || (error as NodeJS.ErrnoException).code === 'EAFNOSUPPORT') return undefined;
      throw error;
    });
    if (probeServer === undefined) {
      t.skip('no IPv6 loopback on this machine');
      return;
    }
    await probeServer.close();
    const { findings } = await probe('ollama', {}, { host: '::1' });
    assert.ok(findings.some((f) => f.ruleId === 'probe/ollama-unauthenticated' && f.location.url?.startsWith('http://[::1]:')));
  });
});
