/**
 * One file into the inventory. The candidate formats are chosen from the name (cheap, so a large
 * repository's source files are never opened) and confirmed from the content, which decides:
 * a `.yaml` may be a CloudFormation template, a manifest, a compose file or none of them; a file
 * without extension may be a Dockerfile or Terraform.
 */
import { basename, dirname } from 'node:path';
import { jupyterScriptLines, parseDockerfile } from './dockerfile-parser.js';
import { HclSyntaxError } from './hcl-lexer.js';
import type { IacFormat, IacInventory, JupyterSetting } from './iac-inventory.js';
import { isMap } from './iac-model.js';
import type { IacMap } from './iac-model.js';
import { settingsFromPython } from './jupyter-settings.js';
import { MAYBE_IAC_TEXT, classifyDocument, loadCloudFormation, loadCompose, loadKubernetes } from './manifest-loader.js';
import { loadTerraformHcl, loadTerraformJson, loadTerraformPlan } from './terraform-loader.js';
import { YamlLimitError, parseYaml } from './yaml-source.js';

export type Candidate = 'hcl' | 'json' | 'yaml' | 'dockerfile' | 'jupyter-py' | 'shell' | 'sniff';

/** What the name suggests; undefined means the file is never read. */
export function candidateOf(relativePath: string): Candidate | undefined {
  const base = basename(relativePath).toLowerCase();
  if (base.endsWith('.tf')) return 'hcl';
  if (base.endsWith('.json')) return 'json';
  if (base.endsWith('.yaml') || base.endsWith('.yml')) return 'yaml';
  if (base === 'dockerfile' || base === 'containerfile' || base.startsWith('dockerfile.') || base.startsWith('containerfile.') || base.endsWith('.dockerfile')) {
    return 'dockerfile';
  }
  if (/^jupyter_\w*config\.py$|_(notebook|server|lab)_config\.py$/.test(base)) return 'jupyter-py';
  if (base.endsWith('.sh') || base.endsWith('.bash')) return 'shell';
  if (base.endsWith('.template') || base.endsWith('.cfn') || !base.includes('.')) return 'sniff';
  return undefined;
}

export type LoadOutcome =
  | { readonly status: 'loaded'; readonly format: IacFormat; readonly problem?: string }
  | { readonly status: 'not-iac' }
  | { readonly status: 'unscannable'; readonly reason: string };

/** Go-template actions of an unrendered Helm chart; rendered output never holds `.Values`. */
const HELM_TEMPLATE = /\{\{-?\s*(\.Values|\.Release|\.Chart|\.Capabilities|include\s|template\s|toYaml|if\s|range\s|with\s|define\s|\$\w+\s*:=)/;

export function loadFile(inventory: IacInventory, relativePath: string, candidate: Candidate, text: string, deadline: number): LoadOutcome {
  const kind = candidate === 'sniff' ? sniff(text) : candidate;
  switch (kind) {
    case undefined:
      return { status: 'not-iac' };
    case 'hcl':
      return loadHcl(inventory, relativePath, text, deadline);
    case 'json':
    case 'yaml':
      return loadStructured(inventory, relativePath, kind, text);
    case 'dockerfile':
      inventory.dockerfiles.push({ file: relativePath, instructions: parseDockerfile(text) });
      return loaded(inventory, relativePath, 'dockerfile');
    case 'jupyter-py':
      inventory.jupyterConfigs.push({ file: relativePath, settings: settingsFromPython(text) });
      return loaded(inventory, relativePath, 'jupyter-config');
    case 'shell': {
      const lines = jupyterScriptLines(text);
      if (lines.length === 0) return { status: 'not-iac' };
      inventory.scripts.push({ file: relativePath, lines });
      return loaded(inventory, relativePath, 'shell');
    }
    case 'sniff':
      return { status: 'not-iac' };
  }
}

function loaded(inventory: IacInventory, file: string, format: IacFormat, problem?: string): LoadOutcome {
  inventory.formats.set(file, format);
  return problem === undefined ? { status: 'loaded', format } : { status: 'loaded', format, problem };
}

/** Decides the format of a file whose name says nothing, from its first bytes. */
function sniff(text: string): Candidate | undefined {
  const head = text.slice(0, 4096);
  if (/^#!.*\b(ba|z|da)?sh\b/.test(head)) return 'shell';
  if (/^\s*(#[^\n]*\n\s*|ARG[^\n]*\n\s*)*FROM\s+\S+/i.test(head)) return 'dockerfile';
  if (/^\s*(resource|data|variable|module|provider|terraform|locals)\s+("|\{)/m.test(head)) return 'hcl';
  if (/^\s*[{[]/.test(head)) return 'json';
  if (/^(AWSTemplateFormatVersion|Resources|apiVersion|kind|services)\s*:/m.test(head)) return 'yaml';
  return undefined;
}

function loadHcl(inventory: IacInventory, file: string, text: string, deadline: number): LoadOutcome {
  try {
    const scope = dirname(file);
    const errors = loadTerraformHcl(inventory, file, scope, text, deadline);
    const first = errors[0];
    return loaded(inventory, file, 'terraform', first === undefined ? undefined : `HCL syntax error (${first.message}); ${errors.length} statement(s) skipped, the rest was checked`);
  } catch (error) {
    if (error instanceof HclSyntaxError) return { status: 'unscannable', reason: `HCL could not be parsed: ${error.message}` };
    throw error;
  }
}

function loadStructured(inventory: IacInventory, file: string, kind: 'json' | 'yaml', text: string): LoadOutcome {
  const isTfJson = file.toLowerCase().endsWith('.tf.json');
  if (!isTfJson && !MAYBE_IAC_TEXT.test(text)) return { status: 'not-iac' };
  if (kind === 'yaml' && HELM_TEMPLATE.test(text)) {
    return { status: 'unscannable', reason: 'unrendered Helm/Go template: render it (helm template) and scan the output' };
  }
  let parsed;
  try {
    parsed = parseYaml(text, { templateStrings: isTfJson });
  } catch (error) {
    if (error instanceof YamlLimitError) return { status: 'unscannable', reason: error.message };
    // The yaml package can throw on pathological input (e.g. stack exhaustion on deep nesting).
    if (error instanceof RangeError) return { status: 'unscannable', reason: `${kind.toUpperCase()} too deeply nested to parse` };
    throw error;
  }
  let format: IacFormat | undefined;
  for (const doc of parsed.documents) {
    const docKind = classifyDocument(doc.node, file);
    if (docKind === undefined || !isMap(doc.node)) continue;
    const root = doc.node;
    switch (docKind) {
      case 'terraform-plan':
        loadTerraformPlan(inventory, file, root);
        format = 'terraform-plan';
        break;
      case 'terraform-json':
        loadTerraformJson(inventory, file, dirname(file), root);
        format = 'terraform';
        break;
      case 'cloudformation':
        loadCloudFormation(inventory, file, root);
        format = 'cloudformation';
        break;
      case 'kubernetes':
        loadKubernetes(inventory, file, root);
        format ??= 'kubernetes';
        break;
      case 'compose':
        loadCompose(inventory, file, root);
        format = 'compose';
        break;
      case 'jupyter-config':
        inventory.jupyterConfigs.push({ file, settings: jsonSettings(root) });
        format = 'jupyter-config';
        break;
      case 'terraform':
        break;
    }
  }
  const error = parsed.errors[0];
  if (format === undefined) {
    // Broken YAML we cannot classify may still have been IaC: say so rather than call it clean.
    return error === undefined ? { status: 'not-iac' } : { status: 'unscannable', reason: `${kind.toUpperCase()} syntax error: ${error}` };
  }
  return loaded(inventory, file, format, error === undefined ? undefined : `${kind.toUpperCase()} syntax error in ${parsed.errors.length} document(s): ${error}; the other documents were checked`);
}

/** `{"ServerApp": {"token": ""}}` with the line of each setting. */
function jsonSettings(root: IacMap): JupyterSetting[] {
  const out: JupyterSetting[] = [];
  for (const cls of root.entries) {
    if (!isMap(cls.value)) continue;
    for (const trait of cls.value.entries) {
      const v = trait.value;
      const value = v.kind === 'scalar' ? v.value : undefined;
      out.push({ cls: cls.key, key: trait.key, value, line: trait.line });
    }
  }
  return out;
}
