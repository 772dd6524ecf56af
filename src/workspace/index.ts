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
export { crossCheckWorkspace, EVERYONE, ROLE_PREFIX } from './workspace-references.js';
export type { ReferenceProblem } from './workspace-references.js';
export { workspaceTemplate, workspaceJsonSchema } from './workspace-template.js';
