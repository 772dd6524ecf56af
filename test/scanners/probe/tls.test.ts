// TLS checks against local HTTPS stand-ins with certificates made by the openssl CLI in the test:
// trusted, expired, expiring, wrong host, self-signed, TLS 1.1-only, no HSTS.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Finding } from '../../../src/domain/index.js';
import { ScopePolicy, runProbe } from '../../../src/scanners/probe/index.js';
import type { HostResolver } from '../../../src/scanners/probe/index.js';
import { startStandIn } from '../../fixtures/probe/stand-in-servers.js';
import type { ListenOptions, RunningServer, TlsListen } from '../../fixtures/probe/stand-in-servers.js';
import { makeTestPki, opensslAvailable } from '../../fixtures/probe/tls-certs.js';
import type { TestPki } from '../../fixtures/probe/tls-certs.js';

const HSTS = { 'strict-transport-security': 'max-age=31536000; includeSubDomains' };
/** `localhost` pinned to 127.0.0.1, whatever /etc/hosts says about ::1. */
const localhostOnly: HostResolver = async (host) => {
  if (host !== 'localhost') throw new Error(`unexpected lookup of ${host}`);
  return [{ address: '127.0.0.1', family: 4 }];
};

const haveOpenssl = await opensslAvailable();

describe('probe TLS checks', { skip: haveOpenssl ? false : 'the openssl CLI is not installed (Debian package openssl)' }, () => {
  let pki: TestPki;
  const servers: RunningServer[] = [];
  before(async () => {
    pki = await makeTestPki();
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await pki?.cleanup();
  });

  async function probeTls(tls: TlsListen, listen: ListenOptions = {}, extraCa = true, target?: (port: number) => string): Promise<{ findings: Finding[]; ids: string[] }> {
    const server = await startStandIn('vllm', {}, { tls, headers: HSTS, ...listen });
    servers.push(server);
    const text = target?.(server.port) ?? `https://localhost:${server.port}/`;
    const policy = ScopePolicy.fromWorkspace(undefined, [`localhost:${server.port}`, '127.0.0.0/8'], localhostOnly);
    const result = await runProbe([{ text }], policy, { timeoutMs: 3000, ...(extraCa && { extraCa: [pki.caCert] }) });
    assert.equal(result.scanned, 1, JSON.stringify(result.unscannable));
    return { findings: result.findings, ids: result.findings.map((f) => f.ruleId).filter((id) => id.startsWith('probe/tls') || id === 'probe/no-hsts' || id === 'probe/no-tls') };
  }

  it('finds nothing wrong with a trusted, current certificate for the host, TLS 1.2/1.3 and HSTS', async () => {
    const { ids } = await probeTls({ key: pki.valid.key, cert: pki.valid.cert });
    assert.deepEqual(ids, []);
  });

  it('reports the same certificate as untrusted when its CA is not trusted', async () => {
    const { findings } = await probeTls({ key: pki.valid.key, cert: pki.valid.cert }, {}, false);
    const untrusted = findings.find((f) => f.ruleId === 'probe/tls-untrusted-certificate');
    assert.ok(untrusted);
    assert.equal(untrusted.properties?.['selfSigned'], false);
  });

  it('reports an expired certificate', async () => {
    const { findings, ids } = await probeTls({ key: pki.expired.key, cert: pki.expired.cert });
    assert.deepEqual(ids, ['probe/tls-certificate-expired']);
    assert.equal(findings.find((f) => f.ruleId === 'probe/tls-certificate-expired')?.severity, 'high');
  });

  it('reports a certificate that expires within 30 days', async () => {
    const { findings, ids } = await probeTls({ key: pki.expiring.key, cert: pki.expiring.cert });
    assert.deepEqual(ids, ['probe/tls-certificate-expiring']);
    assert.match(findings.find((f) => f.ruleId === 'probe/tls-certificate-expiring')?.message ?? '', /expires in (9|10) day/);
  });

  it('reports a certificate for another host', async () => {
    const { ids } = await probeTls({ key: pki.wrongHost.key, cert: pki.wrongHost.cert });
    assert.deepEqual(ids, ['probe/tls-hostname-mismatch']);
  });

  it('reports a self-signed certificate', async () => {
    const { findings } = await probeTls({ key: pki.selfSigned.key, cert: pki.selfSigned.cert });
    const untrusted = findings.find((f) => f.ruleId === 'probe/tls-untrusted-certificate');
    assert.ok(untrusted);
    assert.equal(untrusted.properties?.['selfSigned'], true);
  });

  it('reports a missing HSTS header, and settles https for a host:port target', async () => {
    const { findings, ids } = await probeTls({ key: pki.valid.key, cert: pki.valid.cert }, { headers: {} }, true, (port) => `localhost:${port}`);
    assert.deepEqual(ids, ['probe/no-hsts']);
    assert.ok(findings.every((f) => f.location.url?.startsWith('https://localhost:')));
  });

  it('reports TLS 1.0/1.1 and the missing TLS 1.3 on a legacy-only server', async (t) => {
    const tls: TlsListen = { key: pki.valid.key, cert: pki.valid.cert, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' };
    // An OpenSSL build without TLS 1.0/1.1 cannot host this server at all: then there is nothing to test.
    const canServe = await startStandIn('plain', {}, { tls }).then(
      async (s) => {
        await s.close();
        return true;
      },
      () => false,
    );
    if (!canServe) {
      t.skip('this runtime cannot serve TLS 1.0/1.1 even at SECLEVEL=0');
      return;
    }
    const result = await probeTls(tls);
    assert.deepEqual(result.ids.sort(), ['probe/tls-legacy-protocol', 'probe/tls-no-tls13']);
    assert.match(result.findings.find((f) => f.ruleId === 'probe/tls-legacy-protocol')?.message ?? '', /TLSv1 and TLSv1\.1/);
  });
});
