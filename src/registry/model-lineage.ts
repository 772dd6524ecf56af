/**
 * Whose data a model carries, from the workspace lineage: the clients of everything upstream of
 * its `trained_on` datasets and `derived_from` base models (a fine-tune of a model trained on one
 * client's data still carries that client's data). The model's own `clients` field says whom it
 * serves, not what it learnt from, so it is not counted here.
 */
import type { Workspace } from '../domain/index.js';
import { LineageGraph } from '../lineage/index.js';

export interface ModelLineage {
  readonly trainingDatasets: string[];
  readonly dataClients: string[];
}

export function modelLineage(ws: Workspace, assetId: string): ModelLineage {
  const asset = ws.assets.find((a) => a.id === assetId);
  if (asset === undefined) return { trainingDatasets: [], dataClients: [] };
  const inputs = [...(asset.lineage?.trained_on ?? []), ...(asset.lineage?.derived_from ?? [])];
  if (inputs.length === 0) return { trainingDatasets: [], dataClients: [] };
  const graph = LineageGraph.fromWorkspace(ws);
  const reach = graph.dataReach();
  const clients = new Set<string>();
  for (const id of inputs) {
    const index = graph.index.get(id);
    if (index === undefined) continue; // the workspace loader rejects dangling lineage
    for (const c of reach[index]?.clients ?? []) clients.add(c);
  }
  return { trainingDatasets: [...(asset.lineage?.trained_on ?? [])], dataClients: [...clients].sort() };
}
