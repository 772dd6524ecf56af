// `warden probe` driven in-process, with the same error-to-exit-code mapping as the real CLI:
// declared targets by default, --allow-target for others, SCOPE_REFUSED (exit 1) with nothing sent.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command, CommanderError } from 'commander';
import type { CliIO } from '../../../src/cli/cli-io.js';
import { registerProbeCommand } from '../../../src/cli/commands/probe-command.js';
import { EXIT_USAGE, exitCodeFor } from '../../../src/cli/exit-codes.js';
import { isWardenError } from '../../../src/domain/index.js';
import { startStandIn } from '../../fixtures/probe/stand-in-servers.js';
import type { RunningServer } from '../../fixtures/probe/stand-in-servers.js';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function warden(args: string[], cwd: string): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (s: string) => ((stdout += s), true) },
    stderr: { write: (s: string) => ((stderr += s), true) },
    env: { NO_COLOR: '1' },
    cwd,
  };
  let code = 0;
  const program = new Command('warden').exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  registerProbeCommand(program, io, (c) => {
    code = c;
  });
  for (const sub of program.commands) sub.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (isWardenError(error)) {
      stderr += `warden: error: ${error.message}\n`;
      code = exitCodeFor(error.kind);
    } else if (error instanceof CommanderError) code = EXIT_USAGE;
    else throw error;
  }
  return { code, stdout, stderr };
}

describe('warden probe', () => {
  let dir: string;
  let empty: string;
  let ollama: RunningServer;
  let vllm: RunningServer;
  let stranger: RunningServer;
  before(async () => {
    [ollama, vllm, stranger] = await Promise.all([startStandIn('ollama'), startStandIn('vllm', { auth: true, version: '0.9.1' }), startStandIn('plain')]);
    dir = await mkdtemp(join(tmpdir(), 'warden-probe-cli-'));
    empty = await mkdtemp(join(tmpdir(), 'warden-probe-cli-empty-'));
    await writeFile(
      join(dir, 'warden.yaml'),
      [
        'version: 1',
        'organisation: { name: Probe CLI Test, headcount: 5 }',
        'people:',
        '  - { id: ops, name: Ops, email: ops@example.com }',
        'assets:',
        `  - { id: llm, kind: inference-endpoint, owner: ops, location: "http://${ollama.hostPort}" }`,
        `  - { id: vllm, kind: inference-endpoint, owner: ops, location: "${vllm.hostPort}" }`,
        '  - { id: weights, kind: storage, owner: ops, location: "s3://bucket/weights" }',
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await Promise.all([ollama.close(), vllm.close(), stranger.close()]);
    await rm(dir, { recursive: true, force: true });
    await rm(empty, { recursive: true, force: true });
  });

  it('probes every declared endpoint with no TARGET and fails on high findings', async () => {
    const run = await warden(['probe', '-w', dir, '--format', 'json', '--quiet'], empty);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as { findings: { ruleId: string; asset?: string; location: { url?: string } }[] };
    const open = report.findings.find((f) => f.ruleId === 'probe/ollama-unauthenticated');
    assert.equal(open?.asset, 'llm');
    assert.equal(open?.location.url, `http://${ollama.hostPort}/`);
    assert.ok(!report.findings.some((f) => f.ruleId === 'probe/openai-api-unauthenticated'), 'the vLLM stand-in requires a key');
    assert.ok(report.findings.some((f) => f.asset === 'vllm' && f.ruleId === 'probe/service-detected'));
    assert.equal(stranger.requests.length, 0);
  });

  it('refuses an undeclared target with exit 1 and sends it nothing', async () => {
    const run = await warden(['probe', stranger.hostPort, '-w', dir], empty);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /Refused to probe, nothing was sent/);
    assert.match(run.stderr, new RegExp(`${stranger.hostPort}: not declared in warden\\.yaml`));
    assert.equal(stranger.requests.length, 0);
  });

  it('probes a target covered by --allow-target CIDR without any workspace', async () => {
    const run = await warden(['probe', stranger.hostPort, '--allow-target', '127.0.0.0/8', '--fail-on', 'none', '--format', 'json', '--timeout', '2', '--concurrency', '4'], empty);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { findings: { ruleId: string }[] };
    assert.ok(report.findings.some((f) => f.ruleId === 'probe/unauthenticated-endpoint'));
    assert.ok(stranger.requests.length > 0);
  });

  it('refuses the metadata address even under --allow-target 0.0.0.0/0', async () => {
    const run = await warden(['probe', 'http://169.254.169.254/latest/meta-data/', '--allow-target', '0.0.0.0/0'], empty);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /169\.254\.169\.254 is the cloud instance metadata service/);
  });

  it('is a usage error with nothing to probe, or a malformed target or option', async () => {
    assert.equal((await warden(['probe'], empty)).code, EXIT_USAGE);
    assert.equal((await warden(['probe', 'ftp://example.com/'], empty)).code, EXIT_USAGE);
    assert.equal((await warden(['probe', stranger.hostPort, '--allow-target', 'not a target'], empty)).code, EXIT_USAGE);
    assert.equal((await warden(['probe', stranger.hostPort, '--allow-target', '127.0.0.1/32', '--concurrency', '0'], empty)).code, EXIT_USAGE);
  });
});
