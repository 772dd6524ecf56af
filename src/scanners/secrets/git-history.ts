/**
 * Git history: every commit reachable from any ref, added lines only. We run
 * `git log --all -p --unified=0` through spawn with an argument array (never a shell) and parse its
 * output as a stream, so a large history never sits in memory.
 *
 * Threat assumptions: the repository, including .git/config and .gitattributes, may be hostile.
 * External diff drivers, textconv filters, signature checks and pagers could run programs, so they
 * are all switched off on the command line; prefixes and path quoting are pinned so the parser
 * cannot be confused by the repository's own settings.
 */
import { spawn } from 'node:child_process';
import { relative, resolve } from 'node:path';
import type { SecretEngine } from './detection-engine.js';
import type { RawFinding } from './detection-engine.js';
import { textKindFor } from './file-scanner.js';

const MAX_HUNK_BYTES = 8 * 1024 * 1024;
const RECORD = '\u001e';
const FIELD = '\u001f';

export interface HistoryFinding extends RawFinding {
  /** Path relative to the scan root. */
  readonly path: string;
  readonly commit: string;
  readonly author: string;
  readonly date: string;
}

export interface HistoryResult {
  readonly findings: readonly HistoryFinding[];
  readonly commits: number;
  readonly bytes: number;
}

const GIT_SAFETY = [
  '-c', 'core.quotePath=false',
  '-c', 'diff.noprefix=false',
  '-c', 'diff.mnemonicPrefix=false',
  '-c', 'log.showSignature=false',
  '-c', 'core.fsmonitor=false',
  '--no-pager',
];

export function runGit(cwd: string, args: readonly string[], signal?: AbortSignal): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', [...GIT_SAFETY, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], ...(signal !== undefined && { signal }) });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (out.length < 1_000_000) out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (err.length < 10_000) err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise(out) : reject(new Error(err.trim() || `git exited with ${code}`))));
  });
}

/** The top folder of the git work tree holding `dir`, or undefined when it is not in one. */
export async function gitTopLevel(dir: string): Promise<string | undefined> {
  try {
    return (await runGit(dir, ['rev-parse', '--show-toplevel'])).trim();
  } catch (error) {
    if (error instanceof Error && /not a git repository/i.test(error.message)) return undefined;
    throw error;
  }
}

/** Undoes git's C-style quoting of unusual paths ("a\tb" → a<TAB>b). */
function unquotePath(raw: string): string {
  if (!raw.startsWith('"')) return raw;
  const body = raw.slice(1, raw.endsWith('"') ? -1 : undefined);
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i] as string;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(({ n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 } as Record<string, number>)[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

interface Pending {
  commit: string;
  author: string;
  date: string;
  path: string | undefined;
  lines: Buffer[];
  lineNumbers: number[];
  size: number;
}

/**
 * Scans the history of the repository at `repoTop`; finding paths are made relative to `root`.
 * `onFinding` receives each result as it is found.
 */
export function scanHistory(
  engine: SecretEngine,
  repoTop: string,
  root: string,
  allow: readonly RegExp[],
  signal?: AbortSignal,
): Promise<HistoryResult> {
  const findings: HistoryFinding[] = [];
  let commits = 0;
  let bytes = 0;
  const current: Pending = { commit: '', author: '', date: '', path: undefined, lines: [], lineNumbers: [], size: 0 };
  let nextLine = 0;
  // Between "diff --git" and the first "@@" we are in a file header, where "+++ " names the file;
  // after it, a line starting with "+" is added content even when it starts with "+++ ".
  let inHeader = false;

  const flush = (): void => {
    if (current.path === undefined || current.lines.length === 0) {
      current.lines = [];
      current.lineNumbers = [];
      current.size = 0;
      return;
    }
    const text = Buffer.concat(current.lines.flatMap((l) => [l, Buffer.from('\n')]));
    // Same strictness as for the file on disk: bare `KEY=value` counts in configs, not in code.
    const kind = textKindFor(current.path);
    const result = engine.scanText(text, kind === 'code' ? 'code' : 'history', allow);
    const path = relative(root, resolve(repoTop, current.path)).replace(/\\/g, '/');
    for (const f of result.findings) {
      findings.push({
        ...f,
        line: current.lineNumbers[f.line - 1] ?? f.line,
        path,
        commit: current.commit,
        author: current.author,
        date: current.date,
      });
    }
    current.lines = [];
    current.lineNumbers = [];
    current.size = 0;
  };

  const onLine = (line: Buffer): void => {
    const first = line[0];
    if (first === 0x1e) {
      flush();
      const [commit = '', author = '', date = ''] = line.subarray(1).toString('utf8').split(FIELD);
      current.commit = commit;
      current.author = author;
      current.date = date;
      current.path = undefined;
      inHeader = false;
      commits += 1;
      return;
    }
    if (first === 0x2b /* + */) {
      if (inHeader && line.length >= 4 && line[1] === 0x2b && line[2] === 0x2b && line[3] === 0x20) {
        flush();
        const target = line.subarray(4).toString('utf8');
        current.path = target === '/dev/null' ? undefined : unquotePath(target).replace(/^b\//, '');
        return;
      }
      if (current.path === undefined || inHeader) return;
      current.lines.push(Buffer.from(line.subarray(1)));
      current.lineNumbers.push(nextLine);
      current.size += line.length;
      nextLine += 1;
      if (current.size > MAX_HUNK_BYTES) flush();
      return;
    }
    if (first === 0x40 /* @ */) {
      const m = /^@@ -[0-9,]+ \+([0-9]+)/.exec(line.subarray(0, 100).toString('latin1'));
      if (m !== null) {
        nextLine = Number(m[1]);
        inHeader = false;
      }
      return;
    }
    if (first === 0x64 /* d */ && line.subarray(0, 11).toString('latin1') === 'diff --git ') {
      flush();
      current.path = undefined;
      inHeader = true;
    }
  };

  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      'git',
      [
        ...GIT_SAFETY,
        'log',
        '--all',
        '-p',
        '--no-color',
        '--no-ext-diff',
        '--no-textconv',
        '--unified=0',
        '--src-prefix=a/',
        '--dst-prefix=b/',
        `--format=${RECORD}%H${FIELD}%an${FIELD}%aI`,
      ],
      { cwd: repoTop, stdio: ['ignore', 'pipe', 'pipe'], ...(signal !== undefined && { signal }) },
    );
    let rest: Buffer = Buffer.alloc(0);
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => {
      bytes += data.length;
      let buf = rest.length > 0 ? Buffer.concat([rest, data]) : data;
      let start = 0;
      for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
        onLine(buf.subarray(start, nl));
        start = nl + 1;
      }
      buf = buf.subarray(start);
      // A single "line" longer than the hunk bound is scanned in pieces rather than held whole.
      if (buf.length > MAX_HUNK_BYTES) {
        onLine(buf);
        buf = Buffer.alloc(0);
      }
      rest = Buffer.from(buf);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 10_000) stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (rest.length > 0) onLine(rest);
      flush();
      if (code === 0) resolvePromise({ findings, commits, bytes });
      else reject(new Error(stderr.trim() || `git log exited with ${code}`));
    });
  });
}
