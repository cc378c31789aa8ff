import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import pino, { type Logger } from 'pino';
import type { Mention, SourceHealth, WindowKey } from '../src/lib/shared/types';
import { FACT_COUNT, Pipeline, toRiverItem, windowInput } from './core/pipeline';
import { influenceScore } from './core/enrich/influence';
import { backtest } from './core/detect/backtest';
import { classifyIntent } from './core/enrich/intent';
import { triagePriority } from './core/enrich/priority';
import { explainSentiment } from './core/enrich/sentiment';
import { exactQuantile } from './core/window/quantile';
import { summaryFrom } from './core/window/rolling-windows';
import { readConfigFile, type Config } from './config';
import {
  compileMatcher,
  sourcesSchema,
  trackingSchema,
  type ConfigFile,
  type SourcesConfig,
  type Tracking
} from './core/tracking';
import {
  createMetrics,
  registerIndexLagMetric,
  registerSourceMetrics,
  type Metrics
} from './adapters/metrics';
import {
  createNodeScheduler,
  type Cancel,
  type Scheduler
} from './adapters/scheduler/node-scheduler';
import type { SourceContext } from './adapters/sources/context';
import { createSources, simulatorOn } from './adapters/sources/registry';
import { openWorkerStore } from './adapters/store/worker-store';
import { createWallTransport, type WallTransport } from './adapters/transport/socket-server';
import { createIngestHandler } from './http/ingest';
import { createAlertsApi } from './http/alerts';
import { AlertService } from './adapters/alerts/service';
import { emptyLastSeen, ruleInputFrom } from './adapters/alerts/input';
import { historyFromRollups, matchesByMinute, matchQuery } from './core/alerts/history';
import type { RuleInput } from './core/alerts/rules';
import { notifiersFromEnv } from './adapters/notifiers/from-env';
import type { Notifier } from './adapters/notifiers/types';
import { createHttpHandler, type HttpHandler } from './http/routes';
import { AuthService } from './adapters/auth/service';
import { SettingsService } from './adapters/settings/service';
import { notifiersFromSettings } from './adapters/notifiers/from-settings';
import { actorName, allows, viaOf } from './core/auth/access';
import { authRoutes } from './http/auth';
import { settingsRoutes } from './http/settings';
import { exploreRoutes } from './http/explore';
import { careRoutes } from './http/care';
import { CARE_SETTINGS_KEY, CareService } from './adapters/care/service';
import { WallService } from './adapters/wall/service';
import { wallRoutes } from './http/wall';
import type { CompetitorTerms } from './core/explore/query';
import { authenticate, createGate, originAllowed } from './http/gate';
import {
  keepHandleSet,
  privateAlert,
  privateCareSummary,
  privateBatch,
  privateSnapshot,
  privateTick,
  privateWallPanels
} from './core/privacy';
import type { BatchIngested, BodyIngested, Clock, IngestType, MentionSource, Store } from './ports';

/** How far back the triage queue looks for unanswered customer mentions. */
const TRIAGE_HORIZON_MS = 6 * 3_600_000;
/** Newest unanswered mentions ranked for the triage queue (bounds the query's work). */
const TRIAGE_CANDIDATES = 2000;

const DAY = 86_400_000;
/** Stored mentions a keyword or influencer back-test reads at most. */
const BACKTEST_MATCH_LIMIT = 200_000;
const SECONDS_HISTORY = 900_000;
/** `wall:panels` reads taking longer than this in all are logged as a warning. */
const SLOW_PANELS_MS = 500;
/**
 * How many stored mentions the text and author indexes may run behind under a firehose that
 * never pauses (refreshIndexes): about 10 s at 50,000 mentions/s. The author card scans that
 * many rows at worst: about 60 ms for 500,000 rows on the reference machine.
 */
const MAX_INDEX_LAG = 500_000;

/** Replaceable parts, for tests and tools. */
export interface AppDeps {
  clock?: Clock;
  store?: Store;
  sources?: MentionSource[];
  scheduler?: Scheduler;
  logger?: Logger;
  /** Called when an adapter fails beyond recovery (main.ts exits). */
  onFatal?: (err: Error) => void;
  /** Notification channels; by default the webhook of NOTIFY_WEBHOOK_URL, if set. */
  notifiers?: Notifier[];
  /** Overrides for the live connectors (tests shorten backoff, pin jitter). */
  sourceContext?: Partial<Pick<SourceContext, 'random' | 'backoff' | 'buffer'>>;
  /** How far the text and author indexes may lag under constant ingest (default MAX_INDEX_LAG). */
  maxIndexLag?: number;
  /** Start the store's threads from this server bundle (tests: see `threadCode`). */
  storeBundleDir?: string;
}

/** A running Mission Control server, not yet bound to a port. */
export interface App {
  readonly pipeline: Pipeline;
  /** The store; available once `start()` has resolved. */
  readonly store: Store;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Attaches Socket.IO to an HTTP server (call once, before start). */
  attach(httpServer: HttpServer): void;
  /** The HTTP API as connect-style middleware; unknown paths go to `next`. */
  handle(req: IncomingMessage, res: ServerResponse, next: () => void): void;
  /**
   * Takes validated mentions in: enrich, commit (one transaction), count. Resolves after the
   * commit with how many were new.
   */
  ingest(mentions: readonly Mention[]): Promise<number>;
  /** Batches handed to `ingest` and not yet committed. */
  readonly inFlight: number;
  /** Health of every source. */
  sourceHealth(): SourceHealth[];
  /** The tracking configuration in force (available once `start()` has resolved). */
  readonly tracking: Tracking;
  /** Restores history, starts sources and timers. */
  start(): Promise<void>;
  /** Stops sources and timers, flushes rollups and closes the database. */
  stop(): Promise<void>;
  /** Alerting, once `start()` has resolved. */
  readonly alerts: AlertService | null;
  /** Access control, once `start()` has resolved. */
  readonly auth: AuthService | null;
  /** Retention: deletes mentions and rollups older than the settings keep; resolves with the count. */
  prune(): Promise<number>;
  /**
   * Brings explore's full-text index (timers: every 5 s) and hourly cube (every minute) up to
   * date now, even while ingest is busy.
   */
  refreshIndexes(o?: { cube?: boolean }): Promise<void>;
}

/** The only wiring point: builds the server from its configuration and adapters. */
export function createApp(config: Config, deps: AppDeps = {}): App {
  const clock: Clock = deps.clock ?? { now: () => Date.now() };
  const logger = deps.logger ?? pino({ level: config.logLevel });
  let store: Store | null = deps.store ?? null;
  const maxIndexLag = deps.maxIndexLag ?? MAX_INDEX_LAG;
  const scheduler = deps.scheduler ?? createNodeScheduler();
  const metrics = createMetrics();
  const pipeline = new Pipeline({
    brandHandles: config.brandHandles,
    brandName: config.brandName
  });
  // Built in start(), once the tracking configuration is loaded, unless a test passes its own.
  let sources: MentionSource[] = deps.sources ?? [];
  let tracking: Tracking = trackingSchema.parse({});
  const startedAt = clock.now();
  let transport: WallTransport | null = null;
  let cancels: Cancel[] = [];
  let running = false;
  let stopped = false;
  let alerts: AlertService | null = null;
  let auth: AuthService | null = null;
  let settings: SettingsService | null = null;
  let sourceSettings: SourcesConfig = {};
  /** Notification channels from the environment (the settings page adds its own). */
  let envNotifiers: ReturnType<typeof notifiersFromEnv> = [];
  /** When mentions were last seen, for silence rules (from the alert sample). */
  const lastSeen = emptyLastSeen();

  // Commits handed to the store and not yet settled; stop() waits for them. A Set rather than a
  // promise chain: a chain grows faster than it settles under a tight ingest loop, and every
  // pending link would keep its whole batch alive.
  const inFlight = new Set<Promise<unknown>>();
  /** Highest stored row counted into the windows; flushed with the rollups as their watermark. */
  let countedSeq = 0;

  function requireStore(): Store {
    if (!store) throw new Error('the store is not open: call start() first');
    return store;
  }

  /**
   * Sources' batches: validated mentions go to the ingest thread as flat values, which enriches
   * them for the writer to commit; only what counting needs comes back, as for a body. Not an
   * async function: one would hold `mentions` (its parameter) until the commit answers, long
   * enough for the garbage collector to promote the whole batch to the old generation.
   */
  function ingest(mentions: readonly Mention[]): Promise<number> {
    if (stopped || mentions.length === 0) return Promise.resolve(0);
    let committed: Promise<BatchIngested>;
    try {
      committed = requireStore().ingestMentions(
        mentions,
        pipeline.enrichConfig,
        pipeline.riverLength
      );
    } catch (err) {
      return Promise.reject(err as Error);
    }
    return countMentions(committed, mentions[0]!.source);
  }

  /** Counts a source's batch once committed; resolves with how many mentions were new. */
  async function countMentions(committed: Promise<BatchIngested>, source: string): Promise<number> {
    const r = await track(committed);
    countIngested(r, source);
    return r.fresh;
  }

  /** Holds a commit in the in-flight set until it settles. */
  async function track<T>(committed: Promise<T>): Promise<T> {
    inFlight.add(committed);
    try {
      return await committed;
    } finally {
      inFlight.delete(committed);
    }
  }

  /**
   * Counts what a commit added into the windows, and records metrics by source, lag and
   * duplicates (under `source`, the batch's first). Commits resolve in order: every row up to
   * lastSeq is counted once this batch is.
   */
  function countIngested(r: BatchIngested, source: string): void {
    if (r.lastSeq > countedSeq) countedSeq = r.lastSeq;
    const now = clock.now();
    pipeline.countFacts(r.facts, r.newest, now);
    care?.ingestFacts(r.facts);
    const bySource = new Map<string, number>();
    let newest = -Infinity;
    let last = '';
    let n = 0;
    for (const f of r.facts) {
      for (let o = 0; o < f.length; o += FACT_COUNT) {
        const s = f[o] as string;
        // Batches come from one source as a rule: a run of one source is one map update.
        if (s !== last) {
          if (n > 0) bySource.set(last, (bySource.get(last) ?? 0) + n);
          last = s;
          n = 0;
        }
        n++;
        const createdAt = f[o + 3] as number;
        if (createdAt > newest) newest = createdAt;
      }
    }
    if (n > 0) bySource.set(last, (bySource.get(last) ?? 0) + n);
    for (const [name, k] of bySource) metrics.mentionsIngested.inc({ source: name }, k);
    const duplicates = r.valid - r.fresh;
    if (duplicates > 0) metrics.duplicates.inc({ source }, duplicates);
    if (newest > -Infinity) metrics.pipelineLag.set(Math.max(0, now - newest) / 1000);
  }

  /**
   * The HTTP ingest path: the body goes whole to the ingest thread, which decodes, validates and
   * enriches it for the writer to commit; only what counting needs comes back. The event loop serving the wall
   * never parses a 5 MB batch.
   */
  async function ingestBody(body: Uint8Array, type: IngestType): Promise<BodyIngested> {
    const r = await track(
      requireStore().ingestBody(body, type, pipeline.enrichConfig, pipeline.riverLength)
    );
    if (!r.ok || r.valid === 0) return r;
    countIngested(r, (r.facts[0]?.[0] as string | undefined) ?? 'unknown');
    return r;
  }

  function restore(store: Store, now: number): void {
    const w = pipeline.windows;
    for (const r of store.loadRollups(now - DAY)) w.restoreMinute(r, now);
    // Rows committed after the last rollup flush (a crash in between) are in no rollup: their
    // minutes are recomputed from the raw mentions.
    countedSeq = store.rollupWatermark();
    for (const minute of store.minutesAfter(countedSeq, now - DAY)) {
      w.clearBucket(w.minutes, minute, now);
      for (const r of store.loadRange(minute, minute + 60_000)) {
        w.restoreInto(w.minutes, windowInput(r.mention), r.answered, r.responseMs, now);
      }
    }
    for (const r of store.loadRange(now - SECONDS_HISTORY, now + 1)) {
      w.restoreInto(w.seconds, windowInput(r.mention), r.answered, r.responseMs, now);
    }
    for (const p of store.loadUnanswered(now - DAY, 200_000)) {
      w.restorePending(p.seq, p.createdAt);
    }
    pipeline.restoreRiver(store.newest(60).map(toRiverItem));
  }

  function tick(): void {
    const now = clock.now();
    const { tick: t, rollups } = pipeline.tick(now);
    requireStore()
      .upsertRollups(rollups, countedSeq)
      .catch((err: unknown) => logger.error({ err }, 'rollup write failed'));
    transport?.broadcastTick(t);
    metrics.pendingReplies.set(pipeline.windows.pendingCount);
  }

  /** The live state alert rules read at `now`. */
  function ruleInput(now: number): RuleInput {
    return ruleInputFrom(
      pipeline,
      now,
      startedAt,
      lastSeen,
      sourceHealth(),
      care?.queue.slaStatus(now)
    );
  }

  const sourceHealth = (): SourceHealth[] => sources.map((s) => s.health());
  registerSourceMetrics(metrics.registry, sourceHealth);
  registerIndexLagMetric(metrics.registry, () => store?.explore.indexLag() ?? null);
  // State changes reach the wall at once, at most every 250 ms; a 2 s timer carries the rates.
  let healthQueued: ReturnType<typeof setTimeout> | null = null;
  function broadcastSources(): void {
    if (healthQueued) clearTimeout(healthQueued);
    healthQueued = null;
    transport?.broadcastSources(sourceHealth());
  }
  function onHealthChange(): void {
    if (healthQueued || stopped) return;
    healthQueued = setTimeout(broadcastSources, 250);
  }

  /**
   * Tracking and connector settings: the CONFIG file, when given, is validated and written to
   * SQLite (the file wins); otherwise the stored settings are used; otherwise the environment's
   * brand, no connectors and, while the simulator runs, the competitors it names.
   */
  async function loadSettings(store: Store, file: ConfigFile | null): Promise<SourcesConfig> {
    if (file) {
      const { sources: fileSources, ...fileTracking } = file;
      await store.putSetting('tracking', fileTracking, clock.now());
      await store.putSetting('sources', fileSources, clock.now());
    }
    const storedSources = sourcesSchema.safeParse(store.getSetting('sources') ?? {});
    const storedConfig = storedSources.success ? storedSources.data : {};
    // Not stored: the default stays in force only while nothing is configured.
    const defaultTracking =
      !deps.sources && simulatorOn(config, storedConfig)
        ? { competitors: config.simulator.competitors.map((name) => ({ name })) }
        : {};
    const storedTracking = trackingSchema.safeParse(
      store.getSetting('tracking') ?? defaultTracking
    );
    if (!storedTracking.success || !storedSources.success) {
      logger.warn('stored tracking settings are invalid; using defaults until CONFIG is given');
    }
    applyTracking(storedTracking.success ? storedTracking.data : trackingSchema.parse({}));
    return storedConfig;
  }

  /** Builds (unless a test gave its own) and starts the sources. */
  function startSources(): void {
    if (!deps.sources) {
      sources = createSources(
        config,
        sourceSettings,
        {
          clock,
          logger,
          matcher: compileMatcher(tracking),
          onHealthChange,
          ...deps.sourceContext
        },
        scheduler,
        { name: tracking.brand.name ?? config.brandName, handles: tracking.brand.handles ?? [] },
        (handles) => pipeline.addBrandHandles(handles)
      );
    }
    for (const s of sources) {
      s.start((batch) =>
        ingest(batch).catch((err: unknown) => {
          logger.error({ err, source: s.name }, 'ingest failed');
          return 0;
        })
      );
      logger.info({ source: s.name }, 'source started');
    }
  }

  /** Stops the sources and starts them again with the settings in force (the settings page). */
  async function restartSources(): Promise<void> {
    if (stopped || deps.sources) return;
    await Promise.all(sources.map((s) => s.stop()));
    startSources();
    broadcastSources();
  }

  /** Puts a tracking configuration in force (brand, handles, topics). */
  function applyTracking(t: Tracking): void {
    const name = t.brand.name ?? config.brandName;
    const handles = t.brand.handles?.length ? t.brand.handles : config.brandHandles;
    tracking = { ...t, brand: { name, handles } };
    matcher = compileMatcher(tracking);
    competitorTerms = tracking.competitors.map((c) => ({
      name: c.name,
      terms: [c.name, ...c.keywords, ...c.handles.map((h) => h.replace(/^@/, '').split('@')[0]!)]
    }));
    pipeline.setBrand(name, handles);
    pipeline.setTopics(tracking.topics);
  }

  /**
   * Brings explore's indexes up to date: the text and author indexes (10,000 mentions per
   * transaction) and, with `cube`, the hourly cube (100,000 per transaction). A backlog (an
   * upgrade, a burst beyond what indexing keeps up with) is worked off in small steps between
   * ingest batches.
   */
  let catchingUp: Promise<void> | null = null;
  function refreshIndexes(cube = true, force = false): Promise<void> {
    // Ingest comes first: while any commit is pending, indexing waits for a later turn, so a
    // burst is not slowed by it; the indexes catch up when it pauses (and a search indexes a
    // small backlog itself). A firehose that never pauses still cannot run them more than
    // MAX_INDEX_LAG behind: past that they take their turn, and ingest slows (429s) instead, so
    // the author card's scan of unindexed rows stays bounded.
    const lagging = (): boolean => {
      const lag = requireStore().explore.indexLag();
      return Math.max(lag.text, lag.author) > maxIndexLag;
    };
    const busy = (): boolean => stopped || (!force && inFlight.size > 0 && !lagging());
    const run = async (): Promise<void> => {
      while (!busy() && (await requireStore().indexRecent(10_000)) === 10_000) {
        await new Promise((r) => setImmediate(r));
      }
      while (cube && !busy() && (await requireStore().updateCube(100_000)) === 100_000) {
        await new Promise((r) => setImmediate(r));
      }
    };
    // One catch-up at a time; a caller that wants the cube too waits and runs again.
    const next = (catchingUp ?? Promise.resolve()).then(run, run);
    catchingUp = next.finally(() => {
      if (catchingUp === next) catchingUp = null;
    });
    return next;
  }

  /** Deletes what the retention settings no longer keep, 5,000 mentions per transaction. */
  async function prune(): Promise<number> {
    if (!settings || stopped) return 0;
    const { mentionsDays, rollupsDays } = settings.retention;
    const now = clock.now();
    let total = 0;
    for (;;) {
      const n = await requireStore().prune(now - mentionsDays * DAY, now - rollupsDays * DAY, 5000);
      total += n;
      if (n < 5000 || stopped) break;
      await new Promise((r) => setImmediate(r));
    }
    if (total > 0) logger.info({ deleted: total, mentionsDays }, 'retention: old mentions deleted');
    return total;
  }

  function flushRiver(): void {
    const items = pipeline.takeRiverBatch();
    if (items.length) transport?.broadcastBatch({ items });
  }

  /** Why a stored mention was enriched as it was; null when there is no such mention. */
  function explain(source: string, id: string): unknown {
    const m = requireStore().getMention(source, id);
    if (!m) return null;
    const intent = classifyIntent(m.text, m.sentiment);
    const influence = influenceScore(m.author);
    return {
      mention: toRiverItem(m),
      language: m.language,
      sentiment: m.sentiment.unscored
        ? { ...m.sentiment, reason: `language "${m.language}" is not scored` }
        : explainSentiment(m.text),
      intent,
      topics: m.topics,
      influence,
      priority: triagePriority({
        text: m.text,
        sentiment: m.sentiment,
        intent: m.intent,
        influence,
        waitingMs: null
      })
    };
  }

  /** The care queue, agents and value (started with the store). */
  let care: CareService | null = null;
  function requireCare(): CareService {
    if (!care) throw new Error('the care service is not started yet');
    return care;
  }
  /** Moves the care queue on and sends its summary to every client. */
  function broadcastCare(): void {
    if (!care) return;
    const summary = care.tick();
    transport?.broadcastCare(summary);
  }

  /** The wall's scenes and playlists, and its slower panels (started with the store). */
  let wall: WallService | null = null;
  function requireWall(): WallService {
    if (!wall) throw new Error('the wall service is not started yet');
    return wall;
  }
  /**
   * Computes the wall's slower panels and sends them to every client: three synchronous reads
   * (geography, share of voice, influencers), each in its own turn of the event loop; one
   * computation at a time.
   */
  let panelsRunning = false;
  async function broadcastPanels(): Promise<void> {
    if (!wall || stopped || panelsRunning) return;
    panelsRunning = true;
    let busy = 0;
    let mark = performance.now();
    const pause = async (): Promise<void> => {
      busy += performance.now() - mark;
      await new Promise((r) => setImmediate(r));
      if (stopped) throw new Error('stopped');
      mark = performance.now();
    };
    try {
      const panels = await wall.refresh(clock.now(), pause);
      busy += performance.now() - mark;
      transport?.broadcastWallPanels(panels);
      if (busy > SLOW_PANELS_MS) logger.warn({ ms: Math.round(busy) }, 'wall panels were slow');
    } catch (err) {
      if (!stopped) logger.error({ err }, 'wall panels failed');
    } finally {
      panelsRunning = false;
    }
  }

  /** Competitors' names and terms (name, keywords, handles) for explore's share of voice. */
  let competitorTerms: CompetitorTerms[] = [];
  let matcher = compileMatcher(tracking);

  const gate = createGate({
    auth: () => auth,
    now: () => clock.now(),
    anonymous: config.auth.anonymous,
    allowedOrigins: config.auth.allowedOrigins,
    frameAncestors: config.auth.frameAncestors,
    secureCookies: config.auth.secureCookies
  });

  const http: HttpHandler = createHttpHandler({
    metrics,
    gate,
    tableRoutes: {
      ...authRoutes({ auth: () => auth, secureCookies: config.auth.secureCookies }),
      ...settingsRoutes(() => settings),
      ...exploreRoutes({
        store: requireStore,
        competitors: () => competitorTerms,
        matcher: () => matcher,
        explain,
        catchUpText: async () => {
          // A small backlog (the last seconds of ingest) is indexed before answering; a large
          // one (an upgrade, a long burst) is left to the background job.
          const lag = requireStore().explore.indexLag().text;
          if (lag > 0 && lag <= 50_000) await refreshIndexes(false, true);
        }
      }),
      ...careRoutes({
        care: requireCare,
        now: () => clock.now(),
        saveSettings: (s) => requireStore().putSetting(CARE_SETTINGS_KEY, s, clock.now()),
        changed: broadcastCare
      }),
      ...wallRoutes({
        config: () => requireWall().config,
        save: async (c) => {
          const complete = await requireWall().save(c, clock.now());
          transport?.broadcastWallConfig(complete);
          return complete;
        }
      })
    },
    ingest: createIngestHandler({
      bearerAllowed: (token) => {
        const p = auth?.bearer(token, clock.now()) ?? null;
        return p !== null && allows(p, 'ingest');
      },
      tokensEnabled: () => auth?.ingestEnabled ?? config.ingest.token !== null,
      hmacSecret: config.ingest.hmacSecret,
      maxBytes: config.ingest.maxBytes,
      saturated: () => stopped || inFlight.size >= config.ingest.maxInFlight,
      ingestBody: (body, type) => ingestBody(body, type),
      now: () => clock.now()
    }),
    summary: (window: WindowKey) => pipeline.summary(window, clock.now()),
    rangeSummary: (from, to) => {
      const { sums, responseMs } = requireStore().aggregateRange(from, to);
      const s = summaryFrom('24h', clock.now(), sums, [], to - from);
      const p50 = exactQuantile(responseMs, 0.5);
      const p90 = exactQuantile(responseMs, 0.9);
      return {
        ...s,
        responseTime: {
          count: responseMs.length,
          p50Ms: p50 === null ? null : Math.round(p50),
          p90Ms: p90 === null ? null : Math.round(p90)
        },
        window: null,
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString()
      };
    },
    health: () => ({
      status: stopped ? 'stopping' : 'ok',
      uptimeS: Math.round((clock.now() - startedAt) / 1000),
      ingested: pipeline.ingested,
      clients: transport?.io.engine.clientsCount ?? 0,
      sources: sourceHealth().map((h) => ({ name: h.name, state: h.state }))
    }),
    sources: sourceHealth,
    tracking: () => tracking,
    triage: (limit) => {
      const now = clock.now();
      // The newest unanswered mentions of the last 6 hours are the candidates; priority grows
      // with waiting time, so it is recomputed now rather than read from arrival.
      const items = requireStore()
        .unansweredMentions(now - TRIAGE_HORIZON_MS, TRIAGE_CANDIDATES)
        .map((m) => {
          const waitingMs = Math.max(0, now - m.createdAt);
          const t = triagePriority({
            text: m.text,
            sentiment: m.sentiment,
            intent: m.intent,
            influence: { score: m.influence, tier: m.influenceTier },
            waitingMs
          });
          return { mention: toRiverItem(m), waitingMs, priority: t.score, reasons: t.reasons };
        })
        .sort((a, b) => b.priority - a.priority || b.waitingMs - a.waitingMs)
        .slice(0, limit);
      return { horizonMs: TRIAGE_HORIZON_MS, items };
    },
    explain,
    hiddenInfluencers: () => ({ authors: pipeline.hiddenInfluencers.top(clock.now(), 20) }),
    exploreMentions: (q) => {
      const r = requireStore().queryMentions(q);
      return { total: r.total, mentions: r.mentions.map(toRiverItem) };
    },
    detections: () => ({
      detections: pipeline.monitor.recent(),
      band: pipeline.monitor.volumeBand()
    }),
    backtest: (sensitivity, days) => {
      const now = clock.now();
      const since = now - days * 86_400_000;
      // Stored minute rollups: total mentions per minute, the series the live volume detector sees.
      const points = requireStore()
        .loadRollups(since)
        .filter((r) => r.start < Math.floor(now / 60_000) * 60_000)
        .map((r) => ({ t: r.start, value: r.counts[0] ?? 0 }));
      return { metric: 'volume', days, ...backtest(points, { intervalMs: 60_000, sensitivity }) };
    },
    alerts: createAlertsApi({
      list: (filter, limit) => requireAlerts().list(filter, limit),
      get: (id) => requireAlerts().get(id),
      postmortem: (id, format) => requireAlerts().postmortem(id, format),
      silences: () => requireAlerts().listSilences(),
      addSilence: (s) => requireAlerts().addSilence(s),
      removeSilence: (id) => requireAlerts().removeSilence(id),
      startDrill: (scenario, by) => requireAlerts().startDrill(scenario, by),
      stopDrill: (id, by) => requireAlerts().stopDrill(id, by),
      drills: () => requireAlerts().drills(),
      act: (id, action, by) => requireAlerts().act(id, action, by),
      rules: () => requireAlerts().rules(),
      createRule: (input) => requireAlerts().createRule(input),
      updateRule: (id, input) => requireAlerts().updateRule(id, input),
      deleteRule: (id) => requireAlerts().deleteRule(id),
      backtest: (input, days) => requireAlerts().backtest(input, days)
    })
  });

  function requireAlerts(): AlertService {
    if (!alerts) throw new Error('alerting is not running: call start() first');
    return alerts;
  }

  return {
    pipeline,
    get store() {
      return requireStore();
    },
    metrics,
    logger,
    ingest,
    get inFlight() {
      return inFlight.size;
    },
    sourceHealth,
    get tracking() {
      return tracking;
    },
    get alerts() {
      return alerts;
    },
    get auth() {
      return auth;
    },
    prune,
    refreshIndexes: (o = {}) => refreshIndexes(o.cube ?? true, true),
    attach(httpServer) {
      const keep = (): ReadonlySet<string> =>
        keepHandleSet([...(tracking.brand.handles ?? []), ...config.brandHandles]);
      transport = createWallTransport(httpServer, {
        snapshot: () => {
          flushRiver();
          return pipeline.snapshot(clock.now(), sourceHealth());
        },
        onClientCount: (n) => metrics.connectedClients.set(n),
        alerts: () => alerts,
        wallConfig: () => wall?.config ?? null,
        wallPanels: () => wall?.latest ?? null,
        authenticate: (c) => authenticate(auth, config.auth.anonymous, c, clock.now()),
        originAllowed: (req) => originAllowed(req, config.auth.allowedOrigins),
        now: () => clock.now(),
        privacy: {
          snapshot: (x) => privateSnapshot(x, { keepHandles: keep() }),
          tick: (x) => privateTick(x, { keepHandles: keep() }),
          batch: (b) => privateBatch(b, { keepHandles: keep() }),
          alert: (a) => privateAlert(a, { keepHandles: keep() }),
          care: (x) => privateCareSummary(x, { keepHandles: keep() }),
          panels: (x) => privateWallPanels(x, { keepHandles: keep() })
        },
        audit: async (principal, address, action, target) => {
          await auth?.audit(
            { actor: actorName(principal), via: viaOf(principal), ip: address },
            action,
            target
          );
        }
      });
    },
    handle: http,
    async start() {
      if (running) return;
      running = true;
      // Read first: an invalid file stops the start before anything is opened.
      const configFile = config.configFile ? readConfigFile(config.configFile) : null;
      store ??= await openWorkerStore(
        config.dbFile,
        (err) => {
          logger.fatal(
            { err },
            'the SQLite writer stopped; exiting so a supervisor can restart us'
          );
          deps.onFatal?.(err);
        },
        (message) => logger.warn(message),
        { bundleDir: deps.storeBundleDir }
      );
      sourceSettings = await loadSettings(store, configFile);
      auth = await AuthService.open({
        store,
        clock,
        logger,
        adminPassword: config.auth.adminPassword,
        publicUrl: config.publicUrl,
        ingestToken: config.ingest.token
      });
      auth.onRevoke((e) => transport?.revoke(e));
      const t0 = clock.now();
      restore(store, t0);
      care = new CareService({ store: requireStore, clock });
      care.start();
      wall = new WallService({
        store: requireStore,
        competitors: () => competitorTerms,
        brandName: () => tracking.brand.name ?? config.brandName
      });
      if (wall.start() === 'invalid') {
        logger.warn('the stored wall settings are invalid; using the built-in scenes');
      }
      logger.info(
        { restoredMs: clock.now() - t0, mentions1h: pipeline.summary('1h', clock.now()).volume },
        'history restored'
      );
      // The first panels, for the sockets that connect before the job's first run.
      await broadcastPanels();
      alerts = await AlertService.open({
        store,
        clock,
        logger,
        publicUrl: config.publicUrl,
        notifiers: (envNotifiers = deps.notifiers
          ? deps.notifiers.map((notifier) => ({ notifier, level: 0 }))
          : notifiersFromEnv(config.notify)),
        broadcast: (event, view) => transport?.broadcastAlert(event, view),
        input: ruleInput,
        drillOptions: () => ({
          brandHandles: tracking.brand.handles?.length
            ? tracking.brand.handles
            : config.brandHandles,
          brandName: tracking.brand.name ?? config.brandName,
          topics: pipeline.topicRules
        }),
        history: (rule, from, to) => {
          const st = requireStore();
          const q = matchQuery(rule);
          const matches = q
            ? matchesByMinute(rule, st.searchMentions(from, to, q, BACKTEST_MATCH_LIMIT))
            : undefined;
          return historyFromRollups(st.loadRollups(from), from, to, matches);
        }
      });
      const service = alerts;
      settings = new SettingsService({
        store,
        clock,
        logger,
        tracking: () => tracking,
        sources: () => sourceSettings,
        apply: {
          tracking: async (t) => {
            applyTracking(t);
            await restartSources();
          },
          sources: async (s) => {
            sourceSettings = s;
            await restartSources();
          },
          notifications: (n) => service.setNotifiers([...envNotifiers, ...notifiersFromSettings(n)])
        }
      });
      if (settings.notifications.channels.length > 0) {
        service.setNotifiers([...envNotifiers, ...notifiersFromSettings(settings.notifications)]);
      }
      cancels = [
        scheduler.every(config.alertEvalMs, () => service.evaluate()),
        scheduler.every(config.tickMs, tick),
        scheduler.every(config.riverFlushMs, flushRiver),
        scheduler.every(2000, broadcastSources),
        scheduler.every(1000, broadcastCare),
        scheduler.every(config.wallPanelsMs, () => void broadcastPanels()),
        // Nightly housekeeping keeps the WAL small and the query planner's statistics fresh.
        scheduler.cron('17 3 * * *', () => {
          requireStore()
            .optimize()
            .catch((err: unknown) => logger.error({ err }, 'optimize failed'));
        }),
        scheduler.every(5_000, () => {
          refreshIndexes(false).catch((err: unknown) =>
            logger.error({ err }, 'text indexing failed')
          );
        }),
        scheduler.every(60_000, () => {
          refreshIndexes().catch((err: unknown) => logger.error({ err }, 'cube refresh failed'));
        }),
        // Retention: raw mentions and rollups older than the settings keep, in small batches.
        scheduler.cron('41 2 * * *', () => {
          prune().catch((err: unknown) => logger.error({ err }, 'retention prune failed'));
        })
      ];
      startSources();
      refreshIndexes().catch((err: unknown) => logger.error({ err }, 'index refresh failed'));
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all(sources.map((s) => s.stop()));
      if (healthQueued) clearTimeout(healthQueued);
      for (const c of cancels) c();
      cancels = [];
      await alerts?.stop();
      await Promise.allSettled([...inFlight]);
      if (running && store) {
        await store.upsertRollups(pipeline.tick(clock.now()).rollups, countedSeq);
      }
      await transport?.close();
      await store?.close();
    }
  };
}
