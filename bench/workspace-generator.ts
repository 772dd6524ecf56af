/**
 * Generates a large, realistic workspace for the assessment benchmark: datasets derived from
 * datasets, models trained on many datasets, servers and pipelines reading them. Deterministic
 * (seeded), acyclic by construction (an asset only references assets generated before it).
 */
export interface GeneratedWorkspace {
  readonly yaml: string;
  readonly assets: number;
  readonly people: number;
  readonly edges: number;
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS: readonly [string, number][] = [
  ['dataset', 0.4],
  ['model', 0.15],
  ['notebook-server', 0.1],
  ['pipeline', 0.1],
  ['training-environment', 0.05],
  ['inference-endpoint', 0.05],
  ['storage', 0.05],
  ['code-repository', 0.05],
  ['model-registry', 0.03],
  ['monitoring', 0.02],
];

/**
 * A workspace with `assetCount` assets and close to `targetEdges` lineage edges (within 2 %): the
 * first attempt's shortfall (small pools early on, duplicate draws) is measured and the fan-in
 * rescaled, at most twice.
 */
export function generateWorkspace(assetCount: number, peopleCount: number, targetEdges: number, seed = 42): GeneratedWorkspace {
  let factor = 1;
  let ws = generateOnce(assetCount, peopleCount, targetEdges, seed, factor);
  for (let attempt = 0; attempt < 2 && ws.edges > 0 && Math.abs(ws.edges - targetEdges) > targetEdges * 0.02; attempt += 1) {
    factor *= targetEdges / ws.edges;
    ws = generateOnce(assetCount, peopleCount, targetEdges, seed, factor);
  }
  return ws;
}

function generateOnce(assetCount: number, peopleCount: number, targetEdges: number, seed: number, factor: number): GeneratedWorkspace {
  const rand = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const clients = Math.max(3, Math.round(assetCount / 250));
  const lines: string[] = [
    'version: 1',
    'organisation: { name: Benchmark Co, headcount: ' + peopleCount + ', regimes: [hipaa, gdpr, soc2, us-state-breach] }',
    'clients:',
  ];
  const regimes = ['[hipaa, us-state-breach]', '[gdpr]', '[soc2, us-state-breach]'];
  for (let c = 0; c < clients; c += 1) lines.push(`  - { id: c${c}, name: Client ${c}, sector: s${c % 7}, regimes: ${regimes[c % 3]} }`);
  lines.push('people:');
  const roles = ['security-lead', 'data-scientist', 'ml-engineer', 'devops'];
  for (let p = 0; p < peopleCount; p += 1) {
    const cl = `[c${Math.floor(rand() * clients)}, c${Math.floor(rand() * clients)}]`;
    lines.push(`  - { id: p${p}, name: Person ${p}, email: p${p}@bench.example, roles: [${p === 0 ? 'security-lead' : pick(roles)}], clients: ${cl}, training: [{ course: security-awareness, completed_on: 2026-0${1 + (p % 9)}-01 }] }`);
  }
  lines.push('assets:');
  // Lineage mostly stays within one client, as in real agencies; a few edges cross clients (shared
  // reference data, the occasional multi-client model), which the assessment must catch.
  const datasetsByClient: number[][] = Array.from({ length: clients }, () => []);
  const modelsByClient: number[][] = Array.from({ length: clients }, () => []);
  const datasets: number[] = [];
  let edges = 0;
  // Per-kind fan-in, scaled so the total lands near targetEdges.
  const scale = (targetEdges / assetCount / 10) * factor;
  const fanIn: Readonly<Record<string, number>> = {
    dataset: 3 * scale,
    model: 25 * scale,
    'notebook-server': 30 * scale,
    pipeline: 20 * scale,
    'training-environment': 10 * scale,
    'inference-endpoint': 1,
  };
  const classes = ['internal', 'confidential', 'restricted'];
  for (let i = 0; i < assetCount; i += 1) {
    let r = rand();
    let kind = 'dataset';
    for (const [k, w] of KINDS) {
      if (r < w) {
        kind = k;
        break;
      }
      r -= w;
    }
    if (i < 20) kind = 'dataset';
    const owner = `p${Math.floor(rand() * peopleCount)}`;
    const clientIndex = Math.floor(rand() * clients);
    const client = `c${clientIndex}`;
    const access = Array.from({ length: 2 + Math.floor(rand() * 6) }, () => `p${Math.floor(rand() * peopleCount)}`);
    const enc = rand() < 0.9 ? `{ at_rest: true, in_transit: true, key: ${rand() < 0.5 ? 'customer-managed' : 'provider-managed'} }` : '{ at_rest: false, in_transit: true }';
    const controls = `{ encryption: ${enc}, access: [${[...new Set(access)].join(', ')}], access_logging: ${rand() < 0.8}, exposure: ${rand() < 0.05 ? 'internet' : 'private'}, authentication: ${rand() < 0.05 ? 'none' : 'sso'}, hardening: cis-level-1, tls: true, rate_limit: true, retention_days: 365 }`;
    const want = Math.round((fanIn[kind] ?? 0) * (0.5 + rand()));
    const own = kind === 'inference-endpoint' ? (modelsByClient[clientIndex] ?? []) : (datasetsByClient[clientIndex] ?? []);
    const refs = new Set<string>();
    // Draw until `want` distinct inputs (duplicates would silently thin the graph), within a cap
    // for the first assets, whose pools are still small.
    for (let attempt = 0; refs.size < want && attempt < want * 4; attempt += 1) {
      const pool = rand() < 0.995 && own.length > 0 ? own : datasets;
      if (pool.length > 0) refs.add(`a${pool[Math.floor(rand() * pool.length)]}`);
    }
    edges += refs.size;
    const edgeKey = kind === 'dataset' ? 'derived_from' : kind === 'model' ? 'trained_on' : 'reads';
    const lineage = refs.size > 0 ? `, lineage: { ${edgeKey}: [${[...refs].join(', ')}] }` : '';
    const data = kind === 'dataset' || kind === 'storage' || kind === 'model' ? `, classification: ${pick(classes)}, data_categories: [pii]` : '';
    const records = kind === 'dataset' && rand() < 0.9 ? `, records: ${1000 + Math.floor(rand() * 5_000_000)}` : '';
    lines.push(`  - { id: a${i}, kind: ${kind}, owner: ${owner}, clients: [${client}], location: s3://bench/a${i}${data}${records}, controls: ${controls}${lineage} }`);
    if (kind === 'dataset') {
      datasets.push(i);
      datasetsByClient[clientIndex]?.push(i);
    }
    if (kind === 'model') modelsByClient[clientIndex]?.push(i);
  }
  return { yaml: `${lines.join('\n')}\n`, assets: assetCount, people: peopleCount, edges };
}
