/**
 * `warden init` writes a commented warden.yaml; `warden schema` prints its JSON Schema;
 * `warden controls` lists the control catalog.
 */
import { Option } from 'commander';
import type { Command } from 'commander';
import { access, mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { PILLAR_TITLES, WardenError } from '../../domain/index.js';
import { loadCatalog } from '../../catalog/index.js';
import { workspaceJsonSchema, workspaceTemplate } from '../../workspace/index.js';
import { writeFileAtomic } from '../cli-io.js';
import type { CliIO } from '../cli-io.js';
import { EXIT_OK } from '../exit-codes.js';

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

export function registerWorkspaceCommands(program: Command, io: CliIO, setExit: (code: number) => void, now: () => Date): void {
  program
    .command('init')
    .description('write a commented warden.yaml to fill in')
    .argument('[dir]', 'folder for the workspace', '.')
    .option('--name <name>', 'organisation name (default: the folder name)')
    .option('--force', 'overwrite an existing warden.yaml', false)
    .action(async (dir: string, opts: { name?: string; force: boolean }) => {
      const target = resolve(io.cwd, dir);
      await mkdir(target, { recursive: true });
      const file = join(target, 'warden.yaml');
      if (!opts.force && ((await exists(file)) || (await exists(join(target, 'warden.yml'))))) {
        throw new WardenError('WORKSPACE_EXISTS', `${file} already exists; nothing was written (use --force to overwrite).`);
      }
      const name = opts.name ?? basename(target);
      await writeFileAtomic(file, workspaceTemplate(name, now().toISOString().slice(0, 10)));
      const assessCall = dir === '.' ? 'warden assess' : `warden assess ${dir}`;
      io.stdout.write(`wrote ${file}\nnext: fill in clients, people and assets, then run '${assessCall}'.\n`);
      setExit(EXIT_OK);
    });

  program
    .command('schema')
    .description('print the JSON Schema of warden.yaml (for editor completion)')
    .action(() => {
      io.stdout.write(`${JSON.stringify(workspaceJsonSchema(), null, 2)}\n`);
      setExit(EXIT_OK);
    });

  program
    .command('controls')
    .description('list the control catalog')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action((opts: { format: 'table' | 'json' }) => {
      const catalog = loadCatalog();
      if (opts.format === 'json') {
        io.stdout.write(`${JSON.stringify({ controls: catalog.controls, threats: catalog.threats }, null, 2)}\n`);
      } else {
        for (const c of catalog.controls) {
          io.stdout.write(`${c.id.padEnd(12)} ${PILLAR_TITLES[c.pillar].padEnd(22)} month ${c.roadmap_month.padEnd(4)} ${c.title}\n`);
        }
      }
      setExit(EXIT_OK);
    });
}
