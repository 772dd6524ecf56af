/**
 * Dockerfile instructions with line numbers (Dockerfile reference: parser directives, line
 * continuation with the escape character, exec form as a JSON array, heredocs). We only read;
 * nothing is built or run.
 */
import type { DockerInstruction, ScriptLine } from './iac-inventory.js';

const MAX_INSTRUCTION_CHARS = 256 * 1024;

export function parseDockerfile(text: string): DockerInstruction[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  let escape = '\\';
  // Parser directives are only recognised before the first instruction or ordinary comment.
  for (const l of lines) {
    const directive = /^#\s*escape\s*=\s*([\\`])\s*$/i.exec(l);
    if (directive !== null) {
      escape = directive[1] as string;
      continue;
    }
    if (!/^#\s*\w+\s*=/.test(l)) break;
  }
  const out: DockerInstruction[] = [];
  let i = 0;
  while (i < lines.length) {
    const first = lines[i] as string;
    const trimmed = first.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      i += 1;
      continue;
    }
    const startLine = i + 1;
    let logical = '';
    let current = first;
    for (;;) {
      const stripped = current.replace(/\s+$/, '');
      if (stripped.endsWith(escape) && i + 1 < lines.length) {
        logical += `${stripped.slice(0, -1)} `;
        i += 1;
        // Comment lines inside a continued instruction are removed by the Docker parser.
        while (i < lines.length && /^\s*#/.test(lines[i] as string)) i += 1;
        current = lines[i] ?? '';
        if (logical.length > MAX_INSTRUCTION_CHARS) break;
        continue;
      }
      logical += stripped;
      i += 1;
      break;
    }
    const match = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(logical);
    if (match === null) continue;
    const keyword = (match[1] as string).toUpperCase();
    let args = (match[2] as string).trim();
    // Heredocs (`RUN <<EOF … EOF`): the body belongs to the instruction.
    const heredoc = /<<-?\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?/.exec(args);
    if (heredoc !== null && (keyword === 'RUN' || keyword === 'COPY')) {
      const marker = heredoc[1] as string;
      const body: string[] = [];
      while (i < lines.length && (lines[i] as string).trim() !== marker) {
        body.push(lines[i] as string);
        i += 1;
      }
      i += 1;
      args = `${args}\n${body.join('\n')}`;
    }
    const exec = parseExecForm(args);
    out.push(exec === undefined ? { keyword, args, line: startLine } : { keyword, args, exec, line: startLine });
  }
  return out;
}

function parseExecForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(args);
    if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) return value;
    return undefined;
  } catch (error) {
    // Not valid JSON: Docker then runs the text in a shell, so it is shell form (by design).
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/** Logical lines of a shell script (continuations joined) that mention Jupyter. */
export function jupyterScriptLines(text: string): ScriptLine[] {
  const out: ScriptLine[] = [];
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    const startLine = i + 1;
    // Only the newest line is tested for a continuation, so joining stays linear in the input.
    let current = (lines[i] as string).replace(/\r$/, '');
    let logical = '';
    while (/\\\s*$/.test(current) && i + 1 < lines.length && logical.length < MAX_INSTRUCTION_CHARS) {
      logical += `${current.replace(/\\\s*$/, '')} `;
      i += 1;
      current = (lines[i] as string).replace(/\r$/, '');
    }
    logical += current;
    i += 1;
    if (/^\s*#/.test(logical)) continue;
    if (/jupyter|notebook|ServerApp|NotebookApp|IdentityProvider|voila/i.test(logical)) out.push({ line: startLine, text: logical });
  }
  return out;
}
