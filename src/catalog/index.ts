// Public surface of the catalog module: the controls and threats Warden evaluates against.
export { loadCatalog, buildCatalog } from './catalog-loader.js';
export type { Catalog } from './catalog-loader.js';
