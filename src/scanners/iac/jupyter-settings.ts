/**
 * Jupyter server settings from every place they are written: command lines (`jupyter lab
 * --ServerApp.token=''`), Python config files (`c.ServerApp.token = ''`), JSON config files
 * (`{"ServerApp": {"token": ""}}`), and config lines echoed into files by a Dockerfile RUN.
 *
 * Settings are traitlets: `--Class.trait=value` on the command line, with aliases `--ip`,
 * `--allow-root`. Jupyter Server 2 moved `token` to `IdentityProvider`; Notebook 6 used
 * `NotebookApp`. We read them all and never execute anything.
 */
import type { JupyterSetting } from './iac-inventory.js';

export interface JupyterExposure {
  /** Line of an empty token, when one is set. */
  readonly emptyToken?: number;
  /** A non-empty password, or a token or password we cannot read (an expression), is also set. */
  readonly otherAuth: boolean;
  readonly listenAll?: { readonly line: number; readonly value: string };
  readonly allowRoot?: number;
  readonly allowOriginAny?: { readonly line: number; readonly value: string };
}

const TOKEN_KEYS = new Set(['token']);
const PASSWORD_KEYS = new Set(['password', 'hashed_password']);
const MAX_SPLIT_CHARS = 64 * 1024;

/** POSIX-shell-like word splitting: quotes and backslashes, no expansion. Bounded. */
export function shellSplit(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  const n = Math.min(text.length, MAX_SPLIT_CHARS);
  for (let i = 0; i < n; i += 1) {
    const ch = text[i] as string;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && i + 1 < n && '"\\$`'.includes(text[i + 1] as string)) {
        word += text[i + 1];
        i += 1;
      } else word += ch;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
      continue;
    }
    if (ch === '\\' && i + 1 < n) {
      word += text[i + 1];
      i += 1;
      inWord = true;
      continue;
    }
    if (/\s/.test(ch) || ch === ';' || ch === '&' || ch === '|') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    word += ch;
    inWord = true;
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * Removes one pair of matching quotes (traitlets does the same for `--X.token=''` given in an exec
 * form, where no shell removed them) and a Python `u` prefix.
 */
function unquote(value: string): string {
  const match = /^[uU]?(['"])(.*)\1$/s.exec(value.trim());
  return match === null ? value.trim() : (match[2] as string);
}

/** Settings from command-line words; `--Class.trait=value`, `--Class.trait value` and aliases. */
export function settingsFromArgs(args: readonly string[], line: number, depth = 0): JupyterSetting[] {
  const out: JupyterSetting[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    // `sh -c "jupyter lab --ServerApp.token=''"` and exec-form strings holding a whole command.
    if (/\s/.test(arg) && depth < 2) {
      out.push(...settingsFromArgs(shellSplit(arg), line, depth + 1));
      continue;
    }
    const trait = /^--([A-Za-z]\w*)\.([A-Za-z_]\w*)(?:=(.*))?$/s.exec(arg);
    if (trait !== null) {
      let value = trait[3];
      if (value === undefined && i + 1 < args.length && !(args[i + 1] as string).startsWith('--')) {
        value = args[i + 1] as string;
        i += 1;
      }
      out.push({ cls: trait[1] as string, key: trait[2] as string, value: value === undefined ? true : unquote(value), line });
      continue;
    }
    const alias = /^--(ip|allow-root|port)(?:=(.*))?$/s.exec(arg);
    if (alias !== null) {
      const name = alias[1] as string;
      if (name === 'allow-root') {
        out.push({ cls: 'ServerApp', key: 'allow_root', value: true, line, alias: true });
        continue;
      }
      let value = alias[2];
      if (value === undefined && i + 1 < args.length && !(args[i + 1] as string).startsWith('--')) {
        value = args[i + 1] as string;
        i += 1;
      }
      out.push({ cls: 'ServerApp', key: name, value: value === undefined ? undefined : unquote(value), line, alias: true });
    }
  }
  return out;
}

/** True when the words start or configure a Jupyter server. */
export function mentionsJupyter(args: readonly string[]): boolean {
  return args.some((a) => /jupyter|start-notebook|start-singleuser|voila|(Server|Notebook|Lab)App\./i.test(a));
}

// Greedy `(.+)` and a trim in code: a lazy `(.+?)\s*$` is quadratic on long lines of spaces.
const PY_SETTING = /^\s*c\.([A-Za-z_]\w*)\.([A-Za-z_]\w*)\s*=(.+)$/;

/** `c.Class.trait = literal` lines of a Python config file (or echoed by a script). */
export function settingsFromPython(text: string, firstLine = 1): JupyterSetting[] {
  const out: JupyterSetting[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const match = PY_SETTING.exec((lines[i] as string).replace(/\r$/, ''));
    if (match === null) continue;
    out.push({ cls: match[1] as string, key: match[2] as string, value: pythonLiteral((match[3] as string).trim()), line: firstLine + i });
  }
  return out;
}

/** Config lines embedded in a command (`echo "c.ServerApp.token = ''" >> …`). */
export function settingsEmbedded(text: string, line: number): JupyterSetting[] {
  const out: JupyterSetting[] = [];
  const pattern = /c\.([A-Za-z_]\w*)\.([A-Za-z_]\w*)\s*=\s*(u?'[^'\n]*'|u?"[^"\n]*"|True|False|\S+)/g;
  for (const match of text.matchAll(pattern)) {
    out.push({ cls: match[1] as string, key: match[2] as string, value: pythonLiteral(match[3] as string), line });
  }
  return out;
}

function pythonLiteral(raw: string): JupyterSetting['value'] {
  let text = raw.trim();
  const string = /^[uUrR]?(['"])(.*?)\1/.exec(text);
  if (string !== null) return string[2] as string;
  text = text.replace(/\s*#.*$/, '');
  if (text === 'True') return true;
  if (text === 'False') return false;
  if (text === 'None') return null;
  if (/^-?\d+$/.test(text)) return Number.parseInt(text, 10);
  return undefined;
}

/** Judges one coherent group of settings (one command, one config file). */
export function judgeSettings(settings: readonly JupyterSetting[]): JupyterExposure {
  let emptyToken: number | undefined;
  let otherAuth = false;
  let listenAll: JupyterExposure['listenAll'];
  let allowRoot: number | undefined;
  let allowOriginAny: JupyterExposure['allowOriginAny'];
  for (const s of settings) {
    const key = s.key.toLowerCase();
    if (TOKEN_KEYS.has(key) && s.value === '') emptyToken ??= s.line;
    if (PASSWORD_KEYS.has(key) && typeof s.value === 'string' && s.value !== '') otherAuth = true;
    // Not knowing the value (an expression) is not the same as knowing it is empty.
    if (PASSWORD_KEYS.has(key) && s.value === undefined) otherAuth = true;
    if (TOKEN_KEYS.has(key) && s.value === undefined) otherAuth = true;
    if (key === 'ip' && typeof s.value === 'string' && ['0.0.0.0', '*', '::', '[::]'].includes(s.value.trim())) {
      listenAll ??= { line: s.line, value: s.value.trim() };
    }
    if (key === 'allow_root' && (s.value === true || s.value === 'True' || s.value === 'true')) allowRoot ??= s.line;
    if ((key === 'allow_origin' && s.value === '*') || (key === 'allow_origin_pat' && typeof s.value === 'string' && /^\.?\*$|^\.\+$/.test(s.value))) {
      allowOriginAny ??= { line: s.line, value: String(s.value) };
    }
  }
  return {
    otherAuth,
    ...(emptyToken !== undefined && { emptyToken }),
    ...(listenAll !== undefined && { listenAll }),
    ...(allowRoot !== undefined && { allowRoot }),
    ...(allowOriginAny !== undefined && { allowOriginAny }),
  };
}
