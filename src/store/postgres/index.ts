export { createPostgresAdapter } from './postgres-adapter.js';
