export { createSqliteAdapter } from './sqlite-adapter.js';
