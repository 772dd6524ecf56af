// Public surface of the CLI module.
import { processIO } from './cli-io.js';
import { runCli } from './program.js';

export { runCli } from './program.js';
export type { ProgramOptions } from './program.js';
export type { CliIO, OutputStream } from './cli-io.js';
export { EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_UNAVAILABLE, EXIT_INTERNAL } from './exit-codes.js';

/** Entry point used by bin/warden.js. */
export async function main(argv: readonly string[]): Promise<number> {
  return runCli(argv, processIO());
}
