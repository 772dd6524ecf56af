/**
 * Jupyter servers started or configured without authentication, listening everywhere, as root,
 * or accepting any origin — wherever the setting is written: Dockerfile CMD/ENTRYPOINT/RUN (exec
 * and shell form), Kubernetes container command/args/env, compose command/entrypoint/environment,
 * shell scripts, and jupyter_*_config.py / .json files.
 *
 * Each "group" is what one server sees (one container, one Dockerfile, one config file), so an
 * empty token with a password set elsewhere in the same group is not reported as no-auth.
 */
import { composeAssetTag, k8sAssetTag, withAssetTag } from './asset-links.js';
import type { CheckContext } from './check-context.js';
import type { IacFormat, JupyterSetting } from './iac-inventory.js';
import { field, str } from './iac-model.js';
import type { IacNode } from './iac-model.js';
import { jupyterScriptLines } from './dockerfile-parser.js';
import { judgeSettings, mentionsJupyter, settingsEmbedded, settingsFromArgs, shellSplit } from './jupyter-settings.js';
import { composeEnv, composeWords, containersOf, containerWords, dockerEnv, k8sEnv, podTemplatesOf } from './workloads.js';
import type { EnvVar } from './workloads.js';

interface SettingGroup {
  readonly file: string;
  readonly format: IacFormat;
  /** Who the settings belong to, for messages and fingerprints. */
  readonly owner: string;
  readonly settings: readonly JupyterSetting[];
  readonly fallbackLine: number;
  /** The `warden-asset` label of the compose service or Kubernetes object. */
  readonly assetTag?: string | undefined;
}

/**
 * Settings from one command line. Aliases such as `--ip` and `--allow-root` mean Jupyter only in
 * a Jupyter command; `--ServerApp.token` style settings are Jupyter's wherever they appear.
 */
function fromWords(words: readonly string[], line: number): JupyterSetting[] {
  const jupyter = mentionsJupyter(words);
  const settings = settingsFromArgs(words, line).filter((s) => jupyter || s.alias !== true);
  return [...settings, ...settingsEmbedded(words.join(' '), line)];
}

/** Env values that carry Jupyter flags (the Docker Stacks read NOTEBOOK_ARGS, for example). */
function fromEnv(vars: readonly EnvVar[]): JupyterSetting[] {
  return vars.flatMap((v) => (v.value !== undefined && /--\w/.test(v.value) ? fromWords(shellSplit(v.value), v.line) : []));
}

/** Attributes that hold a boot or lifecycle script (EC2, GCE, Azure VMs, SageMaker lifecycle configs). */
const SCRIPT_ATTRIBUTES = ['user_data', 'metadata_startup_script', 'custom_data', 'on_start', 'on_create', 'UserData', 'OnStart', 'OnCreate'];
const MAX_UNWRAP = 8;

/**
 * The literal text of a script attribute: through `base64encode(<<EOF … EOF)`, `!Base64 !Sub |`,
 * `{"Fn::Base64": …}` and CloudFormation lifecycle `[{Content: …}]` lists.
 */
function scriptTexts(node: IacNode | undefined, depth = 0): string[] {
  if (node === undefined || depth > MAX_UNWRAP) return [];
  if (node.kind === 'scalar') return typeof node.value === 'string' ? [node.value] : [];
  if (node.kind === 'expr') {
    const arg = node.args?.[0];
    if (arg === undefined) return [];
    // Fn::Sub takes [template, variables]; the template is the first item.
    return scriptTexts(arg.kind === 'list' && node.fn === 'Fn::Sub' ? arg.items[0] : arg, depth + 1);
  }
  if (node.kind === 'list') return node.items.flatMap((item) => scriptTexts(field(item, 'Content') ?? item, depth + 1));
  return [];
}

function fromResources(context: CheckContext): SettingGroup[] {
  const groups: SettingGroup[] = [];
  for (const resource of context.inventory.resources) {
    const attributes = SCRIPT_ATTRIBUTES.map((name) => field(resource.body, name));
    attributes.push(field(field(resource.body, 'metadata'), 'startup-script'));
    for (const node of attributes) {
      if (node === undefined) continue;
      // Lines inside the script are not mapped back to the file: report at the attribute.
      const settings = scriptTexts(node).flatMap((text) => jupyterScriptLines(text).flatMap((l) => fromWords(shellSplit(l.text), node.line)));
      if (settings.length > 0) groups.push({ file: resource.file, format: resource.format, owner: resource.address, settings, fallbackLine: node.line });
    }
  }
  return groups;
}

function collectGroups(context: CheckContext): SettingGroup[] {
  const groups: SettingGroup[] = fromResources(context);
  const { inventory } = context;
  for (const dockerfile of inventory.dockerfiles) {
    const settings: JupyterSetting[] = [];
    for (const ins of dockerfile.instructions) {
      if (ins.keyword === 'CMD' || ins.keyword === 'ENTRYPOINT' || ins.keyword === 'RUN') {
        settings.push(...fromWords(ins.exec ?? shellSplit(ins.args), ins.line));
      } else if (ins.keyword === 'ENV') {
        settings.push(...fromEnv(dockerEnv(ins.args, ins.line, ins.keyword)));
      }
    }
    groups.push({ file: dockerfile.file, format: 'dockerfile', owner: 'image', settings, fallbackLine: 1 });
  }
  for (const object of inventory.k8s) {
    for (const template of podTemplatesOf(object)) {
      for (const container of containersOf(template.spec)) {
        const name = str(field(container, 'name')) ?? '(unnamed)';
        const words = containerWords(container);
        const settings = [...fromWords(words, field(container, 'args')?.line ?? field(container, 'command')?.line ?? container.line), ...fromEnv(k8sEnv(container))];
        groups.push({ file: object.file, format: 'kubernetes', owner: `${object.kind} ${object.name}/${name}`, settings, fallbackLine: container.line, assetTag: k8sAssetTag(object) });
      }
    }
  }
  for (const service of inventory.compose) {
    const line = field(service.body, 'command')?.line ?? field(service.body, 'entrypoint')?.line ?? service.line;
    const settings = [...fromWords(composeWords(service), line), ...fromEnv(composeEnv(service))];
    groups.push({ file: service.file, format: 'compose', owner: `service ${service.name}`, settings, fallbackLine: service.line, assetTag: composeAssetTag(service) });
  }
  for (const script of inventory.scripts) {
    const settings = script.lines.flatMap((l) => fromWords(shellSplit(l.text), l.line));
    groups.push({ file: script.file, format: 'shell', owner: 'script', settings, fallbackLine: 1 });
  }
  for (const config of inventory.jupyterConfigs) {
    groups.push({ file: config.file, format: 'jupyter-config', owner: 'config', settings: config.settings, fallbackLine: 1 });
  }
  return groups;
}

export function checkJupyter(context: CheckContext): void {
  for (const group of collectGroups(context)) {
    if (group.settings.length === 0) continue;
    const verdict = judgeSettings(group.settings);
    const base = { file: group.file, format: group.format, resource: group.owner, ...withAssetTag(group.assetTag) };
    const where = group.format === 'jupyter-config' ? '' : ` (${group.owner})`;
    if (verdict.emptyToken !== undefined && !verdict.otherAuth) {
      context.report({
        ...base,
        rule: 'iac/jupyter-no-auth',
        line: verdict.emptyToken,
        message: `Jupyter runs with an empty token and no password${where}: anyone who reaches it can run code.`,
        key: `${group.file}|${group.owner}|no-auth`,
        evidence: "token = ''",
      });
    }
    if (verdict.listenAll !== undefined) {
      context.report({
        ...base,
        rule: 'iac/jupyter-listen-all',
        line: verdict.listenAll.line,
        message: `Jupyter listens on all interfaces (ip = ${verdict.listenAll.value})${where}.`,
        key: `${group.file}|${group.owner}|ip`,
        evidence: `ip=${verdict.listenAll.value}`,
      });
    }
    if (verdict.allowRoot !== undefined) {
      context.report({
        ...base,
        rule: 'iac/jupyter-allow-root',
        line: verdict.allowRoot,
        message: `Jupyter is allowed to run as root${where}.`,
        key: `${group.file}|${group.owner}|allow-root`,
        evidence: 'allow_root = True',
      });
    }
    if (verdict.allowOriginAny !== undefined) {
      context.report({
        ...base,
        rule: 'iac/jupyter-allow-origin-any',
        line: verdict.allowOriginAny.line,
        message: `Jupyter accepts cross-origin requests from any site (allow_origin = ${verdict.allowOriginAny.value})${where}.`,
        key: `${group.file}|${group.owner}|allow-origin`,
        evidence: `allow_origin = '${verdict.allowOriginAny.value}'`,
      });
    }
  }
}
