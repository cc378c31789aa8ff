import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { SourceHealth } from '../../src/lib/shared/types';

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

/**
 * Exports every source's health, read at scrape time: up, events/s, last event, lag, buffered,
 * and the received / dropped / reconnect counters.
 */
export function registerSourceMetrics(registry: Registry, read: () => SourceHealth[]): void {
  const labelNames = ['source', 'kind'] as const;
  const gauge = (name: string, help: string, value: (h: SourceHealth) => number | null): void => {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const h of read()) {
          const v = value(h);
          if (v !== null) this.set({ source: h.name, kind: h.kind }, v);
        }
      }
    });
  };
  // Counters are kept by the sources; at scrape time the exported value is set to their total.
  const counter = (name: string, help: string, value: (h: SourceHealth) => number): void => {
    new Counter({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const h of read()) this.inc({ source: h.name, kind: h.kind }, value(h));
      }
    });
  };
  gauge('mc_source_up', '1 when the source is connected (or its last poll succeeded)', (h) =>
    h.state === 'connected' ? 1 : 0
  );
  gauge(
    'mc_source_events_per_second',
    'Mentions per second over the last 10 s',
    (h) => h.eventsPerSec
  );
  gauge('mc_source_last_event_timestamp_seconds', 'When the last mention arrived', (h) =>
    h.lastEventAt === null ? null : h.lastEventAt / 1000
  );
  gauge('mc_source_lag_seconds', 'Receive time minus createdAt of the last mention', (h) =>
    h.lagMs === null ? null : h.lagMs / 1000
  );
  gauge('mc_source_buffered', 'Mentions waiting in the source buffer', (h) => h.buffered);
  gauge('mc_source_error', '1 while the source reports an error', (h) => (h.lastError ? 1 : 0));
  counter('mc_source_received_total', 'Mentions delivered by the source', (h) => h.received);
  counter(
    'mc_source_dropped_total',
    'Mentions dropped because the source buffer was full (overload)',
    (h) => h.dropped
  );
  counter('mc_source_reconnects_total', 'Reconnect attempts', (h) => h.reconnects);
}

/** Exports how many stored mentions each index kept behind ingest has yet to take in. */
export function registerIndexLagMetric(
  registry: Registry,
  read: () => { text: number; author: number } | null
): void {
  new Gauge({
    name: 'mc_index_lag_mentions',
    help: 'Stored mentions not yet in the text or author index (they catch up behind ingest)',
    labelNames: ['index'],
    registers: [registry],
    collect() {
      this.reset();
      const lag = read();
      if (!lag) return;
      this.set({ index: 'text' }, lag.text);
      this.set({ index: 'author' }, lag.author);
    }
  });
}
