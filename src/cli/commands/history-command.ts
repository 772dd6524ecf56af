/**
 * `warden history` lists the assessment runs kept in the store; `warden diff A B` shows what got
 * better and worse between two of them (refs: id, id prefix, latest, latest~N).
 */
import { Option } from 'commander';
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { diffRuns } from '../../engine/index.js';
import type { RunDiff } from '../../engine/index.js';
import { openStore, resolveStoreOptions } from '../../store/index.js';
import type { Store } from '../../store/index.js';
import { findWorkspaceFile, loadWorkspace } from '../../workspace/index.js';
import type { CliIO } from '../cli-io.js';
import { EXIT_FINDINGS, EXIT_OK } from '../exit-codes.js';
import { renderDiff, renderHistory } from './history-render.js';

async function withStore<T>(io: CliIO, workspaceDir: string, fn: (store: Store, workspaceName: string) => Promise<T>): Promise<T> {
  const file = await findWorkspaceFile(resolve(io.cwd, workspaceDir));
  const loaded = await loadWorkspace(file);
  const store = await openStore(resolveStoreOptions(loaded.dir, io.env));
  try {
    return await fn(store, loaded.workspace.organisation.name);
  } finally {
    await store.close();
  }
}

export function registerHistoryCommands(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('history')
    .description('list the assessment runs kept for a workspace, newest first')
    .option('-w, --workspace <dir>', 'workspace folder', '.')
    .option('-n, --limit <n>', 'show at most N runs', '20')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'markdown']).default('table'))
    .action(async (opts: { workspace: string; limit: string; format: 'table' | 'json' | 'markdown' }) => {
      const limit = Number.parseInt(opts.limit, 10);
      const runs = await withStore(io, opts.workspace, (store, name) =>
        store.runs.list({ workspaceName: name, ...(Number.isFinite(limit) && limit > 0 && { limit }) }),
      );
      io.stdout.write(renderHistory(runs, opts.format));
      setExit(EXIT_OK);
    });

  program
    .command('diff')
    .description('what got better and worse between two runs (refs: id, id prefix, latest, latest~N)')
    .argument('[before]', 'the earlier run', 'latest~1')
    .argument('[after]', 'the later run', 'latest')
    .option('-w, --workspace <dir>', 'workspace folder', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'markdown']).default('table'))
    .option('--fail-on-regression', 'exit 1 when a control regressed or a new gap or finding appeared', false)
    .action(async (before: string, after: string, opts: { workspace: string; format: 'table' | 'json' | 'markdown'; failOnRegression: boolean }) => {
      const diff: RunDiff = await withStore(io, opts.workspace, async (store, name) => {
        const a = await store.runs.get(before, { workspaceName: name });
        const b = await store.runs.get(after, { workspaceName: name });
        return diffRuns(a, b);
      });
      io.stdout.write(renderDiff(diff, opts.format));
      const worse = diff.controls.regressed.length + diff.controls.newGaps.length + diff.findings.new.length;
      setExit(opts.failOnRegression && worse > 0 ? EXIT_FINDINGS : EXIT_OK);
    });
}
