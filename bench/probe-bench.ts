/**
 * `npm run bench:probe`: `warden probe` over 1,000 loopback targets (stand-ins of every service
 * the probe knows, open and protected, spread over 127.0.0.1–127.0.0.10 × 100 ports), with the
 * default concurrency (16), against the physical limit measured in the same run with the same
 * concurrency: (a) a bare TCP connect + one GET per target, (b) the same number of GETs per target
 * as the probe sent, on keep-alive sockets, with no parsing or judging. Target: under 30 s.
 * The stand-ins run in a child process so their work is not charged to the probe's process;
 * they share the machine's cores, as a real network peer would not.
 */
import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ScopePolicy, runProbe } from '../src/scanners/probe/index.js';
import { startStandIn } from '../test/fixtures/probe/stand-in-servers.js';
import { makeTestPki } from '../test/fixtures/probe/tls-certs.js';
import type { StandInKind } from '../test/fixtures/probe/stand-in-servers.js';
import { fmt, machineLine, peakRssMiB, updateBenchmarkSection } from './bench-report.js';

const TARGETS = 1000;
const ADDRESSES = 10;
const CONCURRENCY = 16;
const RUNS = 3;
/** Every TLS_EVERY-th target speaks HTTPS (certificate from a test CA made with the openssl CLI). */
const TLS_EVERY = 10;
const KINDS: readonly StandInKind[] = [
  'ray', 'mlflow', 'tensorboard', 'gradio', 'streamlit', 'ollama', 'vllm', 'openai',
  'torchserve-inference', 'torchserve-management', 'torchserve-metrics', 'triton', 'kubeflow', 'plain',
];

interface FleetEntry {
  readonly hostPort: string;
  readonly host: string;
  readonly port: number;
  readonly kind: StandInKind;
  readonly auth: boolean;
  readonly tls: boolean;
}

/** Child-process mode: start the fleet, report it, serve until the parent disconnects. */
async function serveFleet(): Promise<void> {
  const pki = await makeTestPki();
  const fleet: FleetEntry[] = [];
  for (let i = 0; i < TARGETS; i += 1) {
    const kind = KINDS[i % KINDS.length] as StandInKind;
    const auth = Math.floor(i / KINDS.length) % 2 === 1;
    const host = `127.0.0.${1 + (i % ADDRESSES)}`;
    const tls = i % TLS_EVERY === TLS_EVERY - 1;
    const server = await startStandIn(kind, { auth }, { host, ...(tls && { tls: { key: pki.valid.key, cert: pki.valid.cert } }) });
    fleet.push({ hostPort: server.hostPort, host, port: server.port, kind, auth, tls });
  }
  await pki.cleanup();
  process.send?.({ fleet });
  process.on('disconnect', () => process.exit(0));
}

function get(agent: Agent | false, host: string, port: number, path: string, tls = false): Promise<void> {
  return new Promise((resolve) => {
    const send = tls ? httpsRequest : request;
    const req = send({ host, port, path, method: 'GET', agent, rejectUnauthorized: false }, (res) => {
      res.resume();
      res.on('end', () => resolve());
      res.on('error', () => resolve());
    });
    req.on('error', () => resolve());
    req.end();
  });
}

async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const item = items[next] as T;
        next += 1;
        await work(item);
      }
    }),
  );
}

async function timed(work: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
}

async function main(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['--fleet'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const fleet = await new Promise<FleetEntry[]>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { fleet: FleetEntry[] }).fleet));
    child.once('exit', (code) => reject(new Error(`the stand-in fleet exited with ${code}`)));
  });
  // Half the targets as URLs, half as host:port (those pay the TLS-or-HTTP sniff).
  const inputs = fleet.map((f, i) => ({ text: i % 2 === 0 ? `${f.tls ? 'https' : 'http'}://${f.hostPort}/` : f.hostPort }));
  const policy = ScopePolicy.fromWorkspace(undefined, ['127.0.0.0/8']);
  const load = loadavg()[0] ?? 0;

  let probeBest = Infinity;
  let requests = 0;
  let findings = 0;
  let unscannable = 0;
  let perTarget: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    let result: Awaited<ReturnType<typeof runProbe>> | undefined;
    const seconds = await timed(async () => {
      result = await runProbe(inputs, policy, { concurrency: CONCURRENCY });
    });
    if (result === undefined) throw new Error('no probe result');
    if (seconds < probeBest) {
      probeBest = seconds;
      requests = result.stats.requests;
      findings = result.findings.length;
      unscannable = result.unscannable.length;
      perTarget = result.reports.map((r) => r.requests);
    }
  }

  let connectBest = Infinity;
  let floorBest = Infinity;
  for (let run = 0; run < RUNS; run += 1) {
    connectBest = Math.min(connectBest, await timed(() => pool(fleet, CONCURRENCY, (f) => get(false, f.host, f.port, '/', f.tls))));
    const work = fleet.map((f, i) => ({ f, n: perTarget[i] ?? 0 }));
    floorBest = Math.min(
      floorBest,
      await timed(() =>
        pool(work, CONCURRENCY, async ({ f, n }) => {
          const agent = f.tls ? new HttpsAgent({ keepAlive: true, maxSockets: 4, rejectUnauthorized: false }) : new Agent({ keepAlive: true, maxSockets: 4 });
          await Promise.all(Array.from({ length: n }, () => get(agent, f.host, f.port, '/', f.tls)));
          agent.destroy();
        }),
      ),
    );
  }
  child.disconnect();
  const peak = peakRssMiB();

  const rows = [
    ['warden probe, 1,000 targets, concurrency 16', fmt(probeBest), fmt(requests / probeBest, 0), '1.00×'],
    ['physical limit (a): TCP (or TLS) connect + one GET per target, concurrency 16', fmt(connectBest), fmt(TARGETS / connectBest, 0), `${fmt(probeBest / connectBest, 1)}×`],
    [`physical limit (b): the probe's ${requests.toLocaleString('en-US')} GETs, keep-alive, no analysis`, fmt(floorBest), fmt(requests / floorBest, 0), `${fmt(probeBest / floorBest, 1)}×`],
  ];
  const table = ['| run | seconds | requests/s | probe ÷ this |', '| --- | ---: | ---: | ---: |', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  const target = probeBest < 30 ? 'met' : 'MISSED';
  const markdown = `## probe

\`warden probe\` over ${TARGETS.toLocaleString('en-US')} loopback targets: stand-ins of ${KINDS.length} service kinds (half open, half
protected) on 127.0.0.1–127.0.0.${ADDRESSES} × 100 ports; one target in ${TLS_EVERY} speaks HTTPS (5 TLS handshakes each:
the certificate, then one per protocol version); half are given as URLs, half as HOST:PORT (which pay the
TLS-or-HTTP sniff). Default limits: concurrency ${CONCURRENCY}, 5 s per request, ≤ 30 requests per target, a 10-request
rate-limit burst. Best of ${RUNS} runs each; the stand-ins run in a separate process on the same 2 cores.

${table}

Total probe time ${fmt(probeBest)} s (target < 30 s: ${target}); ${(requests / TARGETS).toFixed(1)} requests per target on average;
${findings.toLocaleString('en-US')} findings; ${unscannable} targets unscannable or partial. The probe's cost over (b) is fingerprinting,
JSON parsing, the TLS sniff and finding construction. Peak RSS of the probing process ${fmt(peak, 0)} MiB. Load average before: ${fmt(load, 1)}.

Machine: ${machineLine()}. Reproduce: \`npm run bench:probe\`.`;
  updateBenchmarkSection('probe', markdown);
  process.stdout.write(`${markdown}\n`);
}

if (process.argv[2] === '--fleet') await serveFleet();
else await main();
