/**
 * Container hardening in Kubernetes manifests, compose files and Dockerfiles: privileged mode,
 * running as root, host namespaces, and credentials written as literal environment values.
 */
import { composeAssetTag, k8sAssetTag, withAssetTag } from './asset-links.js';
import type { CheckContext } from './check-context.js';
import type { IacFormat } from './iac-inventory.js';
import { bool, field, num, str } from './iac-model.js';
import type { IacNode } from './iac-model.js';
import { composeEnv, containersOf, dockerEnv, k8sEnv, podTemplatesOf } from './workloads.js';
import type { EnvVar } from './workloads.js';

export function checkKubernetesContainers(context: CheckContext): void {
  for (const object of context.inventory.k8s) {
    for (const template of podTemplatesOf(object)) {
      const where = `${object.kind} ${object.name}`;
      const base = { file: object.file, format: 'kubernetes' as const, resource: `${object.kind}/${object.name}`, ...withAssetTag(k8sAssetTag(object)) };
      for (const ns of ['hostNetwork', 'hostPID', 'hostIPC']) {
        const flag = field(template.spec, ns);
        if (bool(flag) === true) {
          context.report({ ...base, rule: 'iac/container-host-namespace', line: flag?.line ?? template.line, message: `${where} sets ${ns}: true.`, key: `${object.file}|${where}|${ns}`, evidence: `${ns}: true` });
        }
      }
      const podContext = field(template.spec, 'securityContext');
      for (const container of containersOf(template.spec)) {
        const name = str(field(container, 'name')) ?? '(unnamed)';
        const securityContext = field(container, 'securityContext');
        const privileged = field(securityContext, 'privileged');
        if (bool(privileged) === true) {
          context.report({ ...base, rule: 'iac/container-privileged', line: privileged?.line ?? container.line, message: `Container ${name} in ${where} runs privileged.`, key: `${object.file}|${where}|${name}|privileged`, evidence: 'privileged: true' });
        }
        const root = rootReason(securityContext, podContext);
        if (root !== undefined) {
          context.report({ ...base, rule: 'iac/container-runs-as-root', line: root.line ?? container.line, message: `Container ${name} in ${where} may run as root (${root.reason}).`, key: `${object.file}|${where}|${name}|root`, evidence: root.reason });
        }
        reportSecretEnv(context, k8sEnv(container), { file: object.file, format: 'kubernetes', where: `container ${name} in ${where}`, key: `${where}|${name}` });
      }
    }
  }
}

/** Why a container may run as uid 0, or undefined when it is made non-root (or we cannot tell). */
function rootReason(container: IacNode | undefined, pod: IacNode | undefined): { reason: string; line?: number } | undefined {
  const userNode = field(container, 'runAsUser') ?? field(pod, 'runAsUser');
  const nonRootNode = field(container, 'runAsNonRoot') ?? field(pod, 'runAsNonRoot');
  const user = num(userNode);
  if (user === 0) return { reason: 'runAsUser: 0', line: userNode?.line };
  if (user !== undefined) return undefined;
  if (userNode !== undefined) return undefined; // an expression: not known to be root
  if (bool(nonRootNode) === true) return undefined;
  if (nonRootNode !== undefined && bool(nonRootNode) === undefined) return undefined;
  return { reason: nonRootNode === undefined ? 'no runAsNonRoot and no runAsUser' : 'runAsNonRoot: false', ...(nonRootNode !== undefined && { line: nonRootNode.line }) };
}

export function checkComposeContainers(context: CheckContext): void {
  for (const service of context.inventory.compose) {
    const where = `service ${service.name}`;
    const base = { file: service.file, format: 'compose' as const, resource: service.name, ...withAssetTag(composeAssetTag(service)) };
    const privileged = field(service.body, 'privileged');
    if (bool(privileged) === true) {
      context.report({ ...base, rule: 'iac/container-privileged', line: privileged?.line ?? service.line, message: `Compose ${where} runs privileged.`, key: `${service.file}|${service.name}|privileged`, evidence: 'privileged: true' });
    }
    for (const key of ['network_mode', 'pid', 'ipc']) {
      const node = field(service.body, key);
      if (str(node) === 'host') {
        context.report({ ...base, rule: 'iac/container-host-namespace', line: node?.line ?? service.line, message: `Compose ${where} sets ${key}: host.`, key: `${service.file}|${service.name}|${key}`, evidence: `${key}: host` });
      }
    }
    const user = field(service.body, 'user');
    const userText = str(user);
    if (userText !== undefined && /^(root|0)(:|$)/.test(userText.trim())) {
      context.report({ ...base, rule: 'iac/container-runs-as-root', line: user?.line ?? service.line, message: `Compose ${where} runs as user ${userText}.`, key: `${service.file}|${service.name}|root`, evidence: `user: ${userText}` });
    }
    reportSecretEnv(context, composeEnv(service), { file: service.file, format: 'compose', where: `compose ${where}`, key: service.name });
  }
}

export function checkDockerfiles(context: CheckContext): void {
  for (const dockerfile of context.inventory.dockerfiles) {
    let lastUser: { user: string; line: number } | undefined;
    for (const instruction of dockerfile.instructions) {
      // Each stage starts from its base image's user; only the final stage's last USER matters.
      if (instruction.keyword === 'FROM') lastUser = undefined;
      else if (instruction.keyword === 'USER') lastUser = { user: instruction.args.trim(), line: instruction.line };
    }
    if (lastUser !== undefined && /^(root|0)(:|$)/.test(lastUser.user)) {
      context.report({
        rule: 'iac/container-runs-as-root',
        file: dockerfile.file,
        line: lastUser.line,
        format: 'dockerfile',
        message: `The final stage switches to USER ${lastUser.user} and never back, so the container runs as root.`,
        key: `${dockerfile.file}|user`,
        evidence: `USER ${lastUser.user}`,
      });
    }
    // Secrets in any stage end up in that stage's history; report all of them.
    const all: EnvVar[] = [];
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword === 'ENV' || instruction.keyword === 'ARG') all.push(...dockerEnv(instruction.args, instruction.line, instruction.keyword));
    }
    reportSecretEnv(context, all, { file: dockerfile.file, format: 'dockerfile', where: 'the image', key: 'image' });
  }
}

// ---------------------------------------------------------------- credentials in env

const SECRET_PARTS = new Set(['PASSWORD', 'PASSWD', 'PASS', 'SECRET', 'TOKEN', 'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'PRIVATEKEY', 'ACCESSKEY']);
/** `KEY` alone is too common (SORT_KEY, CACHE_KEY); it counts after one of these words. */
const KEY_QUALIFIERS = new Set(['API', 'ACCESS', 'SECRET', 'PRIVATE', 'ENCRYPTION', 'SIGNING', 'MASTER', 'AUTH', 'LICENSE', 'SERVICE', 'ACCOUNT', 'CLIENT']);
const NOT_SECRET_SUFFIX = /(_FILE|_PATH|_DIR|_URL|_URI|_ENDPOINT|_HOST|_PORT|_NAME|_ID|_ARN|_TYPE|_HEADER|_LENGTH|_TTL|_EXPIRY|_EXPIRES|_ENABLED|_REQUIRED|_MODE|_METHOD|_REF|_ALGORITHM|_VERSION|_SIZE|_LIMIT)$/i;
const NOT_SECRET_PART = new Set(['PUBLIC', 'PUB']);

/** Name shaped like a credential: HF_TOKEN, DB_PASSWORD, OPENAI_API_KEY — not TOKENIZERS_PARALLELISM. */
function isSecretName(name: string): boolean {
  if (NOT_SECRET_SUFFIX.test(name)) return false;
  const parts = name.toUpperCase().split(/[_\-.]+/).filter((p) => p !== '');
  if (parts.some((p) => NOT_SECRET_PART.has(p))) return false;
  if (parts.some((p) => SECRET_PARTS.has(p))) return true;
  if (parts.length === 1 && parts[0] === 'KEY') return true;
  if (parts.some((p, i) => p === 'KEY' && i > 0 && KEY_QUALIFIERS.has(parts[i - 1] as string))) return true;
  return /PASSWORD|SECRET/i.test(name);
}

/** References and placeholders are not literal secrets: `${X}`, `$(X)`, `{{ x }}`, `<token>`, paths. */
function isLiteralSecretValue(value: string): boolean {
  const v = value.trim();
  if (v.length < 4) return false;
  if (/^\$\{[^}]*\}$|^\$[A-Za-z_]\w*$|^\$\([A-Za-z_]\w*\)$|^\{\{.*\}\}$|^<[^>]*>$/.test(v)) return false;
  if (/^\/[\w./-]+$/.test(v)) return false;
  if (/^(true|false|yes|no|none|null|disabled|enabled)$/i.test(v)) return false;
  return true;
}

function reportSecretEnv(context: CheckContext, vars: readonly EnvVar[], at: { file: string; format: IacFormat; where: string; key: string }): void {
  for (const v of vars) {
    if (v.value === undefined || !isSecretName(v.name) || !isLiteralSecretValue(v.value)) continue;
    context.report({
      rule: 'iac/plaintext-secret-env',
      file: at.file,
      line: v.line,
      format: at.format,
      message: `${v.name} is set to a literal value in ${at.where}.`,
      key: `${at.file}|${at.key}|${v.name}`,
      // Never echo the secret: only its length.
      evidence: `${v.name}=<redacted, ${v.value.length} chars>`,
      resource: at.key,
    });
  }
}
