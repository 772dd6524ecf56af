/**
 * Jinja2 chat templates (GGUF metadata, tokenizer_config.json). A chat template only needs to loop
 * over messages and print fields; the known server-side template injection payloads climb from any
 * object to `__class__.__mro__[1].__subclasses__()` or a function's `__globals__` to reach `os` or
 * `__builtins__`. So: any dunder attribute is high; building names indirectly (the `attr` filter,
 * string pieces containing "__", escaped underscores) is medium, the usual way to hide the former.
 */

export interface TemplateSignals {
  readonly severity: 'high' | 'medium';
  readonly signals: string[];
  readonly excerpt: string;
}

const DUNDER = /__[A-Za-z][A-Za-z0-9_]*?__/g;
const HIGH_PATTERNS: readonly [RegExp, string][] = [
  [/_TemplateReference__context/, '_TemplateReference__context'],
  [/\b(?:os|subprocess)\s*\.\s*(?:popen|system|spawn\w*|exec\w*|run|Popen)\b/, 'os/subprocess call'],
  [/\bimport_module\b|\b__import__\b/, 'import'],
];
const MEDIUM_PATTERNS: readonly [RegExp, string][] = [
  [/\|\s*attr\s*\(/, '|attr filter'],
  [/["'][^"'\n]*__[^"'\n]*["']/, 'string containing "__"'],
  [/\\x5f|\\u005f|\\137/i, 'escaped underscore'],
  [/\[\s*["']_/, 'subscript with "_" name'],
];

export function templateInjectionSignals(template: string): TemplateSignals | undefined {
  const high = new Set<string>();
  const medium = new Set<string>();
  let firstIndex = -1;
  for (const match of template.matchAll(DUNDER)) {
    high.add(match[0]);
    if (firstIndex < 0) firstIndex = match.index ?? 0;
    if (high.size > 20) break;
  }
  for (const [pattern, label] of HIGH_PATTERNS) {
    const match = pattern.exec(template);
    if (match !== null) {
      high.add(label);
      if (firstIndex < 0) firstIndex = match.index;
    }
  }
  for (const [pattern, label] of MEDIUM_PATTERNS) {
    const match = pattern.exec(template);
    if (match !== null) {
      medium.add(label);
      if (firstIndex < 0) firstIndex = match.index;
    }
  }
  if (high.size === 0 && medium.size === 0) return undefined;
  const start = Math.max(0, firstIndex - 40);
  return {
    severity: high.size > 0 ? 'high' : 'medium',
    signals: [...high, ...medium],
    excerpt: template.slice(start, start + 160),
  };
}
