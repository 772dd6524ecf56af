/**
 * The `warden` command line: commands are registered per bounded context (workspace, assess,
 * scan, history, model …), each in its own file under commands/.
 */
import { Command, CommanderError } from 'commander';
import { describeError, isWardenError } from '../domain/index.js';
import { createDefaultRegistry } from '../scanners/index.js';
import type { ScannerRegistry } from '../scanners/index.js';
import type { CliIO } from './cli-io.js';
import { registerAssessCommands } from './commands/assess-command.js';
import { registerDemoCommand } from './commands/demo-command.js';
import { registerHistoryCommands } from './commands/history-command.js';
import { registerModelRegistryCommands } from './commands/model-registry-commands.js';
import { registerModelSignCommands } from './commands/model-sign-commands.js';
import { registerProbeCommand } from './commands/probe-command.js';
import { registerScanCommands } from './commands/scan-command.js';
import { registerWorkspaceCommands } from './commands/workspace-commands.js';
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, exitCodeFor } from './exit-codes.js';
import { toolVersion } from './tool-version.js';

export interface ProgramOptions {
  readonly registry?: ScannerRegistry;
  readonly now?: () => Date;
}

export async function runCli(argv: readonly string[], io: CliIO, options: ProgramOptions = {}): Promise<number> {
  let exitCode = EXIT_OK;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  const program = new Command('warden')
    .description('Security governance for AI infrastructure: find the holes, enforce the controls, keep the evidence.')
    .version(toolVersion(), '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  const registry = options.registry ?? createDefaultRegistry();
  registerWorkspaceCommands(program, io, setExit, options.now ?? (() => new Date()));
  registerAssessCommands(program, io, setExit, options.registry !== undefined ? { registry: options.registry } : {});
  registerDemoCommand(program, io, setExit);
  registerScanCommands(program, io, registry, setExit);
  registerProbeCommand(program, io, setExit);
  registerHistoryCommands(program, io, setExit);
  const model = program.command('model').description('model artifacts: sign and verify manifests (OpenSSF model signing)');
  registerModelSignCommands(model, { out: (text) => io.stdout.write(text), err: (text) => io.stderr.write(text) });
  registerModelRegistryCommands(model, io, setExit, options.now !== undefined ? { now: options.now } : {});
  // Every subcommand inherits the overrides so usage errors come back here rather than exiting.
  const inherit = (command: Command): void => {
    for (const sub of command.commands) {
      sub.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
      inherit(sub);
    }
  };
  inherit(program);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CliIO): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message (or the help/version text).
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT_OK;
    if (error.code === 'commander.executeSubCommandAsync') return EXIT_INTERNAL;
    return EXIT_USAGE;
  }
  if (isWardenError(error)) {
    io.stderr.write(`warden: error: ${error.message}\n`);
    if (error.kind === 'internal' || io.env['WARDEN_DEBUG']) writeCause(error, io);
    return exitCodeFor(error.kind);
  }
  io.stderr.write(`warden: internal error: ${describeError(error)}\nThis is a bug in Warden; please report it with the command you ran.\n`);
  if (error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return EXIT_INTERNAL;
}

function writeCause(error: Error, io: CliIO): void {
  let cause: unknown = error.cause;
  while (cause !== undefined) {
    io.stderr.write(`  caused by: ${describeError(cause)}\n`);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
}
