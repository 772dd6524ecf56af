// Public surface of the model registry. For now: signed model manifests (see ./signing).
export * from './signing/index.js';
