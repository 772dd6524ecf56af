/**
 * What a command may touch of the outside world, passed in rather than taken from `process`, so
 * commands can be driven in-process by tests and later by the server's job runner.
 */
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export interface OutputStream {
  write(chunk: string): boolean;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface CliIO {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/**
 * Writes a report atomically (temporary file, then rename) so a failed or interrupted run never
 * leaves a half-written report where a CI job or an auditor would pick it up. `content` may come
 * in pieces (large JSON and SARIF reports do), written one after another.
 */
export async function writeFileAtomic(path: string, content: string | Iterable<string>): Promise<void> {
  const target = resolve(path);
  await mkdir(dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
  if (typeof content === 'string') {
    await writeFile(temp, content, { mode: 0o644 });
  } else {
    const handle = await open(temp, 'w', 0o644);
    try {
      let batch = '';
      for (const piece of content) {
        batch += piece;
        if (batch.length >= 1 << 20) {
          await handle.write(batch);
          batch = '';
        }
      }
      if (batch !== '') await handle.write(batch);
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    await handle.close();
  }
  await rename(temp, target);
}

/** A progress line on a terminal; nothing at all in pipelines, CI or with --quiet. */
export class Progress {
  readonly #stream: OutputStream;
  readonly #enabled: boolean;
  #lastLength = 0;
  #lastDraw = 0;

  constructor(stream: OutputStream, enabled: boolean) {
    this.#stream = stream;
    this.#enabled = enabled && stream.isTTY === true;
  }

  update(text: string, force = false): void {
    if (!this.#enabled) return;
    const now = Date.now();
    if (!force && now - this.#lastDraw < 80) return;
    this.#lastDraw = now;
    const width = Math.max(20, (this.#stream.columns ?? 80) - 1);
    const line = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    this.#stream.write(`\r${line}${' '.repeat(Math.max(0, this.#lastLength - line.length))}`);
    this.#lastLength = line.length;
  }

  done(): void {
    if (!this.#enabled || this.#lastLength === 0) return;
    this.#stream.write(`\r${' '.repeat(this.#lastLength)}\r`);
    this.#lastLength = 0;
  }
}
