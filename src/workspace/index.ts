// Public surface of the workspace module: reading, checking and creating warden.yaml.
export {
  WORKSPACE_FILE_NAMES,
  findWorkspaceFile,
  loadWorkspace,
  parseWorkspaceText,
  formatProblem,
  formatFieldPath,
} from './workspace-loader.js';
export type { LoadedWorkspace, WorkspaceProblem } from './workspace-loader.js';
export { crossCheckWorkspace, workspaceRelativeProblem, EVERYONE, ROLE_PREFIX } from './workspace-references.js';
export { checkWorkspaceFiles, trustedKeyFiles } from './workspace-files.js';
export type { TrustedKeyFiles } from './workspace-files.js';
export type { ReferenceProblem } from './workspace-references.js';
export { workspaceTemplate, workspaceJsonSchema } from './workspace-template.js';
export { accessAdmits, modelAccessList, findPerson, modelAssetNamed } from './workspace-access.js';
export type { ModelAccessList } from './workspace-access.js';
