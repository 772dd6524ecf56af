// Public surface of the demo helpers: files the bundled demo workspace needs at run time.
export { ensureDemoNotebook, demoNotebookText, DEMO_NOTEBOOK_PATH } from './demo-notebook-writer.js';
