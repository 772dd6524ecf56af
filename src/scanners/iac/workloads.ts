/**
 * Containers in Kubernetes objects and compose services, and whether they run an AI service
 * (by image name or command line). Used by the container, exposure and Jupyter checks.
 */
import type { ComposeService, K8sObject } from './iac-inventory.js';
import { blocks, field, isMap, itemsOf, mapsOf, path, str, strings } from './iac-model.js';
import type { IacMap, IacNode } from './iac-model.js';
import { shellSplit } from './jupyter-settings.js';

export interface AiService {
  readonly service: string;
  /** An interactive notebook (code execution for whoever reaches it). */
  readonly notebook: boolean;
}

const AI_IMAGES: readonly [RegExp, AiService][] = [
  [/jupyter|notebook|kubeflownotebookswg|(^|\/)(scipy|datascience|pyspark|all-spark)-notebook/i, { service: 'Jupyter', notebook: true }],
  [/rayproject\/ray|(^|\/)ray(-ml)?(:|@|$)|kuberay/i, { service: 'Ray', notebook: false }],
  [/mlflow/i, { service: 'MLflow', notebook: false }],
  [/tensorboard/i, { service: 'TensorBoard', notebook: false }],
  [/gradio/i, { service: 'Gradio', notebook: false }],
  [/streamlit/i, { service: 'Streamlit', notebook: false }],
  [/ollama/i, { service: 'Ollama', notebook: false }],
  [/vllm/i, { service: 'vLLM', notebook: false }],
  [/tritonserver|triton-inference/i, { service: 'Triton', notebook: false }],
  [/torchserve/i, { service: 'TorchServe', notebook: false }],
  [/text-generation-inference/i, { service: 'Text Generation Inference', notebook: false }],
];

const AI_COMMANDS: readonly [RegExp, AiService][] = [
  [/\bjupyter(-lab|-notebook|hub-singleuser)?\b|start-notebook|start-singleuser/i, { service: 'Jupyter', notebook: true }],
  [/\bray\s+start\b/i, { service: 'Ray', notebook: false }],
  [/\bmlflow\s+(server|ui)\b/i, { service: 'MLflow', notebook: false }],
  [/\btensorboard\b/i, { service: 'TensorBoard', notebook: false }],
  [/\bstreamlit\s+run\b/i, { service: 'Streamlit', notebook: false }],
  [/\bollama\s+serve\b/i, { service: 'Ollama', notebook: false }],
  [/\bvllm\s+serve\b|vllm\.entrypoints/i, { service: 'vLLM', notebook: false }],
  [/\btritonserver\b/i, { service: 'Triton', notebook: false }],
  [/\btorchserve\b/i, { service: 'TorchServe', notebook: false }],
];

export function aiServiceOf(image: string | undefined, words: readonly string[]): AiService | undefined {
  const text = words.join(' ');
  for (const [pattern, service] of AI_COMMANDS) if (pattern.test(text)) return service;
  if (image !== undefined) for (const [pattern, service] of AI_IMAGES) if (pattern.test(image)) return service;
  return undefined;
}

// ---------------------------------------------------------------- Kubernetes

export interface PodTemplate {
  readonly object: K8sObject;
  readonly spec: IacMap;
  readonly labels: ReadonlyMap<string, string>;
  readonly line: number;
}

const TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec.template'],
  StatefulSet: ['spec.template'],
  DaemonSet: ['spec.template'],
  ReplicaSet: ['spec.template'],
  ReplicationController: ['spec.template'],
  Job: ['spec.template'],
  CronJob: ['spec.jobTemplate.spec.template'],
  Notebook: ['spec.template'],
  RayCluster: ['spec.headGroupSpec.template'],
  RayJob: ['spec.rayClusterSpec.headGroupSpec.template'],
  RayService: ['spec.rayClusterConfig.headGroupSpec.template'],
};

function labelsOf(metadata: IacNode | undefined): Map<string, string> {
  const labels = new Map<string, string>();
  const node = field(metadata, 'labels');
  if (isMap(node)) for (const e of node.entries) labels.set(e.key, str(e.value) ?? '');
  return labels;
}

/** Pod templates of a workload object (worker groups of Ray clusters included). */
export function podTemplatesOf(object: K8sObject): PodTemplate[] {
  if (object.kind === 'Pod') {
    const spec = field(object.body, 'spec');
    return isMap(spec) ? [{ object, spec, labels: labelsOf(field(object.body, 'metadata')), line: object.line }] : [];
  }
  const templates: IacNode[] = [];
  for (const p of TEMPLATE_PATHS[object.kind] ?? ['spec.template']) {
    const t = path(object.body, p);
    if (t !== undefined) templates.push(t);
  }
  if (object.kind.startsWith('Ray')) {
    const cluster = path(object.body, 'spec.rayClusterSpec') ?? path(object.body, 'spec.rayClusterConfig') ?? field(object.body, 'spec');
    for (const group of blocks(cluster, 'workerGroupSpecs')) {
      const t = field(group, 'template');
      if (t !== undefined) templates.push(t);
    }
  }
  const out: PodTemplate[] = [];
  for (const t of templates) {
    const spec = field(t, 'spec');
    if (isMap(spec) && field(spec, 'containers') !== undefined) {
      out.push({ object, spec, labels: labelsOf(field(t, 'metadata')), line: t.line });
    }
  }
  return out;
}

export function containersOf(spec: IacMap): IacMap[] {
  return [...mapsOf(field(spec, 'containers')), ...mapsOf(field(spec, 'initContainers')), ...mapsOf(field(spec, 'ephemeralContainers'))];
}

/** `command` + `args` of a container as words. */
export function containerWords(container: IacMap): string[] {
  return [...strings(field(container, 'command')), ...strings(field(container, 'args'))];
}

export function podAiService(template: PodTemplate): AiService | undefined {
  if (template.object.kind === 'Notebook') return { service: 'Jupyter (Kubeflow Notebook)', notebook: true };
  if (template.object.kind.startsWith('Ray')) return { service: 'Ray', notebook: false };
  for (const c of mapsOf(field(template.spec, 'containers'))) {
    const service = aiServiceOf(str(field(c, 'image')), containerWords(c));
    if (service !== undefined) return service;
  }
  return undefined;
}

/** Namespaces left out by a manifest land in the deploy tool's namespace; we call it "default". */
export function namespaceOf(object: K8sObject): string {
  return object.namespace ?? 'default';
}

// ---------------------------------------------------------------- compose

/** `entrypoint` + `command` of a compose service as words (string forms are shell-split). */
export function composeWords(service: ComposeService): string[] {
  const words: string[] = [];
  for (const key of ['entrypoint', 'command']) {
    const node = field(service.body, key);
    if (node?.kind === 'list') words.push(...strings(node));
    else {
      const text = str(node);
      if (text !== undefined) words.push(...shellSplit(text));
    }
  }
  return words;
}

export interface EnvVar {
  readonly name: string;
  /** Literal value; undefined when it comes from a secret, a field reference or is missing. */
  readonly value: string | undefined;
  readonly line: number;
}

/** Kubernetes `env: [{name, value}]`; `valueFrom` entries carry no literal. */
export function k8sEnv(container: IacMap): EnvVar[] {
  return mapsOf(field(container, 'env')).map((e) => ({ name: str(field(e, 'name')) ?? '', value: field(e, 'valueFrom') === undefined ? str(field(e, 'value')) : undefined, line: e.line }));
}

/** Compose `environment` as a map or a list of `KEY=VALUE`. */
export function composeEnv(service: ComposeService): EnvVar[] {
  const node = field(service.body, 'environment');
  if (isMap(node)) return node.entries.map((e) => ({ name: e.key, value: str(e.value), line: e.line }));
  return itemsOf(node).flatMap((item) => {
    const text = str(item);
    if (text === undefined) return [];
    const eq = text.indexOf('=');
    return [{ name: eq < 0 ? text : text.slice(0, eq), value: eq < 0 ? undefined : text.slice(eq + 1), line: item.line }];
  });
}

/** Dockerfile `ENV A=1 B="two"`, legacy `ENV A 1`, and `ARG NAME=default`. */
export function dockerEnv(args: string, line: number, keyword: string): EnvVar[] {
  const words = shellSplit(args);
  if (words.length === 0) return [];
  if (keyword === 'ENV' && !(words[0] as string).includes('=')) {
    return [{ name: words[0] as string, value: words.slice(1).join(' '), line }];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    return { name: eq < 0 ? w : w.slice(0, eq), value: eq < 0 ? undefined : w.slice(eq + 1), line };
  });
}
