// Scope: what the probe refuses to touch, and that a refusal sends nothing at all.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WardenError } from '../../../src/domain/index.js';
import type { Workspace } from '../../../src/domain/index.js';
import { ScopePolicy, parseAllowTarget, parseTarget, runProbe } from '../../../src/scanners/probe/index.js';
import type { HostResolver } from '../../../src/scanners/probe/index.js';
import { startStandIn } from '../../fixtures/probe/stand-in-servers.js';
import type { RunningServer } from '../../fixtures/probe/stand-in-servers.js';

function workspace(locations: Record<string, string>): Workspace {
  return {
    version: 1,
    organisation: { name: 'Scope Test', headcount: 5, regimes: [] },
    clients: [],
    people: [],
    assets: Object.entries(locations).map(([id, location]) => ({ id, kind: 'inference-endpoint', owner: 'ops', location })),
    attestations: [],
    exceptions: [],
  };
}

/** A resolver with fixed answers, standing in for a hostile DNS server. */
function fakeDns(answers: Record<string, string[]>): HostResolver {
  return async (host) => {
    const list = answers[host];
    if (list === undefined) throw new Error(`getaddrinfo ENOTFOUND ${host}`);
    return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

async function refusal(promise: Promise<unknown>): Promise<WardenError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof WardenError, String(error));
    assert.equal(error.code, 'SCOPE_REFUSED');
    assert.equal(error.kind, 'refused');
    return error;
  }
  assert.fail('expected SCOPE_REFUSED');
}

describe('probe scope', () => {
  let server: RunningServer;
  before(async () => {
    server = await startStandIn('ollama');
  });
  after(async () => {
    await server.close();
  });

  it('refuses an undeclared target and sends nothing', async () => {
    const policy = ScopePolicy.fromWorkspace(workspace({ other: '127.0.0.1:1' }), []);
    const error = await refusal(runProbe([{ text: server.hostPort }], policy));
    assert.match(error.message, new RegExp(server.hostPort.replace(/[.[\]]/g, '\\$&')));
    assert.match(error.message, /not declared in warden\.yaml/);
    assert.equal(server.requests.length, 0);
  });

  it('probes a target declared in warden.yaml', async () => {
    const policy = ScopePolicy.fromWorkspace(workspace({ llm: `http://${server.hostPort}` }), []);
    const result = await runProbe([{ text: `http://${server.hostPort}/` }], policy);
    assert.ok(result.findings.some((f) => f.ruleId === 'probe/ollama-unauthenticated' && f.asset === 'llm'));
    assert.ok(server.requests.length > 0);
  });

  it('allows a target covered by an --allow-target CIDR, and refuses one outside it', async () => {
    const inside = ScopePolicy.fromWorkspace(undefined, ['127.0.0.0/8']);
    const outcome = await inside.check(parseTarget(server.hostPort));
    assert.ok(outcome.ok);
    assert.equal(outcome.decision.reason, '--allow-target 127.0.0.0/8');
    const outside = ScopePolicy.fromWorkspace(undefined, ['10.0.0.0/8']);
    const before = server.requests.length;
    await refusal(runProbe([{ text: server.hostPort }], outside));
    assert.equal(server.requests.length, before);
  });

  it('refuses cloud metadata and link-local addresses, even under a covering CIDR or a declaration', async () => {
    const policy = ScopePolicy.fromWorkspace(
      workspace({ imds: 'http://169.254.169.254/latest/meta-data/', ll: '[fe80::1]:80', ali: '100.100.100.200:80', aws6: '[fd00:ec2::254]:80' }),
      ['0.0.0.0/0', '::/0'],
    );
    for (const target of ['http://169.254.169.254/latest/meta-data/', '169.254.10.20:8080', '[fe80::1]:80', '100.100.100.200:80', '[fd00:ec2::254]:80', 'http://metadata.google.internal/computeMetadata/v1/']) {
      const outcome = await policy.check(parseTarget(target));
      assert.ok(!outcome.ok && outcome.refused, `${target} should be refused`);
    }
  });

  it('normalises numeric address forms before deciding (decimal, hex, IPv4-mapped)', async () => {
    const policy = ScopePolicy.fromWorkspace(undefined, ['0.0.0.0/0', '::/0']);
    for (const target of ['http://2852039166/', 'http://0xA9FEA9FE/', 'http://0251.0376.0251.0376/', 'http://[::ffff:169.254.169.254]/', 'http://[64:ff9b::a9fe:a9fe]/']) {
      const outcome = await policy.check(parseTarget(target));
      assert.ok(!outcome.ok && outcome.refused, `${target} should be refused`);
      assert.match(outcome.reason, /169\.254\.169\.254/);
    }
  });

  it('refuses a declared host name that resolves to the metadata address (DNS rebinding)', async () => {
    const dns = fakeDns({ 'models.internal.test': ['10.1.2.3', '169.254.169.254'] });
    const policy = ScopePolicy.fromWorkspace(workspace({ api: 'https://models.internal.test/v1' }), [], dns);
    const error = await refusal(runProbe([{ text: 'https://models.internal.test/v1' }], policy));
    assert.match(error.message, /models\.internal\.test resolves to 169\.254\.169\.254/);
  });

  it('pins the checked address: the connection goes to what the resolver answered once', async () => {
    let lookups = 0;
    const dns: HostResolver = async () => {
      lookups += 1;
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const policy = ScopePolicy.fromWorkspace(workspace({ llm: `rebind.test:${server.port}` }), [], dns);
    const result = await runProbe([{ text: `rebind.test:${server.port}` }], policy);
    assert.equal(lookups, 1);
    assert.ok(result.findings.some((f) => f.ruleId === 'probe/ollama-unauthenticated'));
    assert.ok(result.findings.every((f) => f.properties?.['address'] === '127.0.0.1'));
  });

  it('needs a CIDR to cover every address a name resolves to', async () => {
    const dns = fakeDns({ 'split.test': ['127.0.0.1', '192.0.2.10'] });
    const policy = ScopePolicy.fromWorkspace(undefined, ['127.0.0.0/8'], dns);
    const outcome = await policy.check(parseTarget('split.test:80'));
    assert.ok(!outcome.ok && outcome.refused);
  });

  it('allows a sensitive address only when an --allow-target names it', async () => {
    const byHost = ScopePolicy.fromWorkspace(undefined, ['169.254.169.254:80']);
    assert.ok((await byHost.check(parseTarget('http://169.254.169.254/'))).ok);
    const byBlock = ScopePolicy.fromWorkspace(undefined, ['169.254.169.254/32']);
    assert.ok((await byBlock.check(parseTarget('169.254.169.254:80'))).ok);
    const tooBroad = ScopePolicy.fromWorkspace(undefined, ['169.0.0.0/8']);
    assert.ok(!(await tooBroad.check(parseTarget('169.254.169.254:80'))).ok);
  });

  it('reports a name that does not resolve as unscannable, not as refused', async () => {
    const policy = ScopePolicy.fromWorkspace(workspace({ gone: 'gone.test:8080' }), [], fakeDns({}));
    const result = await runProbe([{ text: 'gone.test:8080' }], policy);
    assert.equal(result.scanned, 0);
    assert.match(result.unscannable[0]?.reason ?? '', /does not resolve/);
  });

  it('rejects malformed targets and allow-targets as usage errors', () => {
    assert.throws(() => parseTarget('ftp://example.com/'), (e: unknown) => e instanceof WardenError && e.code === 'INPUT_INVALID');
    assert.throws(() => parseTarget('http://user:pw@example.com/'), (e: unknown) => e instanceof WardenError && e.code === 'INPUT_INVALID');
    assert.throws(() => parseAllowTarget('example.com'), (e: unknown) => e instanceof WardenError && e.code === 'USAGE');
    assert.throws(() => parseAllowTarget('10.0.0.0/33'), (e: unknown) => e instanceof WardenError && e.code === 'USAGE');
    assert.equal(parseAllowTarget('10.0.0.0/24').kind, 'cidr');
    assert.equal(parseAllowTarget('[::1]:8080').kind, 'host-port');
  });
});
