import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus metrics the server exports on /metrics. */
export interface Metrics {
  registry: Registry;
  mentionsIngested: Counter<'source'>;
  duplicates: Counter<'source'>;
  pipelineLag: Gauge;
  connectedClients: Gauge;
  pendingReplies: Gauge;
}

/** Creates a registry with process metrics (including event-loop lag) and the product's own. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  return {
    registry,
    mentionsIngested: new Counter({
      name: 'mc_mentions_ingested_total',
      help: 'Mentions accepted into the pipeline, by source',
      labelNames: ['source'],
      registers: [registry]
    }),
    duplicates: new Counter({
      name: 'mc_mentions_duplicate_total',
      help: 'Mentions ignored because their (source, id) was already stored',
      labelNames: ['source'],
      registers: [registry]
    }),
    pipelineLag: new Gauge({
      name: 'mc_pipeline_lag_seconds',
      help: 'Age of the newest mention of the last batch when it was committed (now - createdAt)',
      registers: [registry]
    }),
    connectedClients: new Gauge({
      name: 'mc_connected_clients',
      help: 'Socket.IO clients connected',
      registers: [registry]
    }),
    pendingReplies: new Gauge({
      name: 'mc_unanswered_tracked',
      help: 'Customer mentions tracked while they wait for a first brand reply',
      registers: [registry]
    })
  };
}
