// The probe's own limits, against hostile servers: bodies are capped, silent servers time out,
// redirects are not followed, the request budget and the concurrency hold.
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, describe, it } from 'node:test';
import { HttpSession, ScopePolicy, parseTarget, runProbe } from '../../../src/scanners/probe/index.js';
import { listen, startEndlessBody, startRedirect, startSilent, startStandIn } from '../../fixtures/probe/stand-in-servers.js';
import type { RunningServer } from '../../fixtures/probe/stand-in-servers.js';

const servers: RunningServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});
const track = async (p: Promise<RunningServer>): Promise<RunningServer> => {
  const s = await p;
  servers.push(s);
  return s;
};
const loopback = (): ScopePolicy => ScopePolicy.fromWorkspace(undefined, ['127.0.0.0/8']);

describe('probe limits', () => {
  it('stops reading a response body at the cap', async () => {
    const server = await track(startEndlessBody());
    const target = parseTarget(server.hostPort);
    const session = new HttpSession(target, 'http', { address: '127.0.0.1', family: 4 }, { timeoutMs: 5000, maxRequests: 3, maxBodyBytes: 100_000, maxSockets: 1 });
    const started = Date.now();
    const response = await session.get('/');
    session.close();
    assert.equal(response.status, 200);
    assert.equal(response.truncated, true);
    assert.equal(response.body.length, 100_000);
    assert.ok(Date.now() - started < 3000);
  });

  it('marks a body that stalls past the deadline as incomplete, never as a parsed answer', async () => {
    const server = await track(
      listen((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"models": [');
      }),
    );
    const session = new HttpSession(parseTarget(server.hostPort), 'http', { address: '127.0.0.1', family: 4 }, { timeoutMs: 300, maxRequests: 1, maxBodyBytes: 1000, maxSockets: 1 });
    const response = await session.get('/api/tags');
    session.close();
    assert.equal(response.truncated, true);
    assert.match(response.error ?? '', /within 300 ms/);
    assert.equal(response.status, 200);
  });

  it('gives up on a server that never answers, within the timeout, and reports it unscannable', async () => {
    const server = await track(startSilent());
    const started = Date.now();
    const result = await runProbe([{ text: `http://${server.hostPort}/` }], loopback(), { timeoutMs: 300 });
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    assert.equal(result.scanned, 0);
    assert.match(result.unscannable[0]?.reason ?? '', /no complete answer within 300 ms/);
  });

  it('does not follow a redirect to another host or port', async () => {
    const elsewhere = await track(startStandIn('plain'));
    const redirecting = await track(startRedirect(`http://${elsewhere.hostPort}/`));
    const result = await runProbe([{ text: redirecting.hostPort }], ScopePolicy.fromWorkspace(undefined, [redirecting.hostPort]));
    assert.equal(elsewhere.requests.length, 0);
    assert.ok(redirecting.requests.length > 0);
    assert.ok(!result.findings.some((f) => f.ruleId === 'probe/unauthenticated-endpoint'), 'a 302 is not an open endpoint');
  });

  it('never sends more requests to one target than the budget', async () => {
    const server = await track(startStandIn('plain'));
    const result = await runProbe([{ text: server.hostPort }], loopback(), { maxRequestsPerTarget: 5 });
    assert.ok(server.requests.length <= 5, `${server.requests.length} requests`);
    assert.equal(result.stats.requests, server.requests.length);
    assert.match(result.unscannable.map((u) => u.reason).join('\n'), /request budget of 5/);
  });

  it('probes at most `concurrency` targets at a time', async () => {
    let active = 0;
    let peak = 0;
    const ports = new Map<number, number>();
    const slow = (req: IncomingMessage, res: ServerResponse): void => {
      const port = req.socket.localPort ?? 0;
      ports.set(port, (ports.get(port) ?? 0) + 1);
      if (ports.get(port) === 1) active += 1;
      peak = Math.max(peak, active);
      setTimeout(() => {
        const left = (ports.get(port) ?? 1) - 1;
        ports.set(port, left);
        if (left === 0) active -= 1;
        res.writeHead(404).end();
      }, 5);
    };
    const fleet = await Promise.all(Array.from({ length: 6 }, () => track(listen(slow))));
    await runProbe(fleet.map((s) => ({ text: `http://${s.hostPort}/` })), loopback(), { concurrency: 2, burstSize: 2 });
    assert.ok(peak >= 1 && peak <= 2, `peak of ${peak} targets in flight`);
  });

  it('deduplicates a target given twice', async () => {
    const server = await track(startStandIn('plain'));
    const once = await runProbe([{ text: server.hostPort }], loopback());
    const count = server.requests.length;
    server.requests.length = 0;
    const twice = await runProbe([{ text: server.hostPort }, { text: server.hostPort }], loopback());
    assert.equal(server.requests.length, count);
    assert.equal(twice.findings.length, once.findings.length);
  });
});
