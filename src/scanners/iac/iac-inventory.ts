/**
 * Everything one scan read, by kind: cloud resources (Terraform and CloudFormation), Kubernetes
 * objects, compose services, Dockerfiles, shell scripts and Jupyter configuration. Checks run over
 * the whole inventory because IaC is relational: a bucket's public-access block lives in another
 * file, a Service selects a Deployment written elsewhere.
 */
import { field, str } from './iac-model.js';
import type { IacEntry, IacMap, IacNode } from './iac-model.js';

export type IacFormat =
  | 'terraform'
  | 'terraform-plan'
  | 'cloudformation'
  | 'kubernetes'
  | 'compose'
  | 'dockerfile'
  | 'jupyter-config'
  | 'shell';

export interface CloudResource {
  readonly format: 'terraform' | 'terraform-plan' | 'cloudformation';
  /** Terraform type (`aws_s3_bucket`) or CloudFormation type (`AWS::S3::Bucket`). */
  readonly type: string;
  readonly name: string;
  /** Terraform address (`module.x.aws_s3_bucket.y[0]`) or CloudFormation logical id. */
  readonly address: string;
  readonly file: string;
  readonly line: number;
  /** Attributes (Terraform) or Properties (CloudFormation), variables already substituted. */
  body: IacMap;
  /**
   * Where names resolve: a Terraform module folder, a plan file plus module address, or a
   * CloudFormation template file.
   */
  readonly scope: string;
  /** Terraform references per top-level attribute, from a plan's `configuration` section. */
  readonly refs?: ReadonlyMap<string, readonly string[]>;
}

export interface DataSource {
  readonly type: string;
  readonly name: string;
  readonly scope: string;
  readonly file: string;
  readonly line: number;
  readonly body: IacMap;
}

export interface K8sObject {
  readonly file: string;
  readonly line: number;
  readonly kind: string;
  readonly apiVersion: string;
  readonly name: string;
  /** `metadata.namespace`, or undefined when the manifest leaves it to the deploy tool. */
  readonly namespace: string | undefined;
  readonly body: IacMap;
}

export interface ComposeService {
  readonly file: string;
  readonly line: number;
  readonly name: string;
  readonly body: IacMap;
}

export interface DockerInstruction {
  /** Upper-cased keyword: FROM, RUN, CMD, ENTRYPOINT, ENV, ARG, USER … */
  readonly keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  readonly args: string;
  /** The JSON array of the exec form, when the instruction uses it. */
  readonly exec?: readonly string[];
  readonly line: number;
}

export interface Dockerfile {
  readonly file: string;
  readonly instructions: readonly DockerInstruction[];
}

export interface ScriptLine {
  readonly line: number;
  readonly text: string;
}

export interface ShellScript {
  readonly file: string;
  /** Logical lines (continuations joined) that mention Jupyter; the rest is never needed. */
  readonly lines: readonly ScriptLine[];
}

export interface JupyterSetting {
  /** Configurable class: ServerApp, NotebookApp, IdentityProvider … */
  readonly cls: string;
  readonly key: string;
  /** Literal value; undefined when the value is an expression we do not evaluate. */
  readonly value: string | number | boolean | null | undefined;
  readonly line: number;
  /** Written as a command-line alias (`--ip`, `--allow-root`): Jupyter's only in a Jupyter command. */
  readonly alias?: boolean;
}

export interface JupyterConfig {
  readonly file: string;
  readonly settings: readonly JupyterSetting[];
}

export class IacInventory {
  readonly resources: CloudResource[] = [];
  readonly dataSources: DataSource[] = [];
  /** scope → variable / parameter name → default value. */
  readonly variables = new Map<string, Map<string, IacNode>>();
  /** scope → local name → value. */
  readonly locals = new Map<string, Map<string, IacNode>>();
  readonly k8s: K8sObject[] = [];
  readonly compose: ComposeService[] = [];
  readonly dockerfiles: Dockerfile[] = [];
  readonly scripts: ShellScript[] = [];
  readonly jupyterConfigs: JupyterConfig[] = [];
  /** Relative path → the format it was read as. */
  readonly formats = new Map<string, IacFormat>();

  #byType: Map<string, CloudResource[]> | undefined;
  #indexedCount = -1;

  /** Resources of one type; the index is rebuilt when resources were added since. */
  ofType(type: string): readonly CloudResource[] {
    if (this.#byType === undefined || this.#indexedCount !== this.resources.length) {
      this.#byType = new Map();
      for (const r of this.resources) {
        const list = this.#byType.get(r.type);
        if (list === undefined) this.#byType.set(r.type, [r]);
        else list.push(r);
      }
      this.#indexedCount = this.resources.length;
    }
    return this.#byType.get(type) ?? [];
  }

  define(kind: 'variables' | 'locals', scope: string, name: string, value: IacNode): void {
    const table = this[kind];
    let names = table.get(scope);
    if (names === undefined) {
      names = new Map();
      table.set(scope, names);
    }
    names.set(name, value);
  }

  /** Substitutes variable defaults, locals and CloudFormation parameter defaults into bodies. */
  resolve(): void {
    for (const resource of this.resources) {
      if (resource.format === 'terraform-plan') continue; // plan values are already resolved
      resource.body = substitute(resource.body, (ref) => this.#lookup(resource, ref), 0) as IacMap;
    }
  }

  #lookup(resource: CloudResource, node: IacNode): IacNode | undefined {
    if (resource.format === 'cloudformation') {
      if (node.kind !== 'expr' || node.fn !== 'Ref') return undefined;
      const name = str(node.args?.[0]);
      return name === undefined ? undefined : this.variables.get(resource.scope)?.get(name);
    }
    const text = node.kind === 'expr' ? node.text : node.kind === 'scalar' && node.dynamic ? unwrapTemplate(String(node.value)) : undefined;
    if (text === undefined) return undefined;
    const match = /^(var|local)\.([A-Za-z_][\w-]*)$/.exec(text.trim());
    if (match === null) return undefined;
    const table = match[1] === 'var' ? this.variables : this.locals;
    return table.get(resource.scope)?.get(match[2] as string);
  }
}

/** `"${var.x}"` is the same value as `var.x`; anything more is a real template. */
function unwrapTemplate(text: string): string | undefined {
  const match = /^\$\{([^{}]*)\}$/.exec(text);
  return match?.[1];
}

const MAX_SUBSTITUTION_DEPTH = 64;

/**
 * Returns `node` with resolvable references replaced by their values, re-lined to the place of use
 * so findings point at the resource, not at variables.tf. A value that is itself a reference is
 * followed a few times (local → var), never in a loop.
 */
function substitute(node: IacNode, lookup: (node: IacNode) => IacNode | undefined, depth: number): IacNode {
  if (depth > MAX_SUBSTITUTION_DEPTH) return node;
  if (node.kind === 'expr' || (node.kind === 'scalar' && node.dynamic === true)) {
    let value = lookup(node);
    for (let hop = 0; value !== undefined && hop < 4; hop += 1) {
      const next = lookup(value);
      if (next === undefined) break;
      value = next;
    }
    return value === undefined ? node : relined(value, node.line, 0);
  }
  if (node.kind === 'list') {
    return { ...node, items: node.items.map((item) => substitute(item, lookup, depth + 1)) };
  }
  if (node.kind === 'map') {
    const entries: IacEntry[] = node.entries.map((entry) => ({ ...entry, value: substitute(entry.value, lookup, depth + 1) }));
    return { ...node, entries };
  }
  return node;
}

function relined(node: IacNode, line: number, depth: number): IacNode {
  if (depth > MAX_SUBSTITUTION_DEPTH) return { ...node, line };
  switch (node.kind) {
    case 'scalar':
    case 'expr':
      return { ...node, line };
    case 'list':
      return { ...node, line, items: node.items.map((item) => relined(item, line, depth + 1)) };
    case 'map':
      return { ...node, line, entries: node.entries.map((e) => ({ ...e, line, value: relined(e.value, line, depth + 1) })) };
  }
}

/** The `metadata.name` style helper used by several loaders. */
export function nameOf(node: IacNode | undefined): string {
  return str(field(node, 'name')) ?? '(unnamed)';
}
