// Public surface of the lineage module: how data flows between assets.
export { LineageGraph, classificationFromRank, recordsOf } from './lineage-graph.js';
export type { DataReach } from './lineage-graph.js';
