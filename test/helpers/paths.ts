// Where tests find things. `npm test` runs from the project root, so the working directory is it.
import { join } from 'node:path';

export const projectRoot = process.cwd();
/** External corpora written by other projects; read by path, never copied into the project. */
export const corporaRoot = join(projectRoot, '..', 'shared', 'corpora');
export const examplesRoot = join(projectRoot, 'examples');
