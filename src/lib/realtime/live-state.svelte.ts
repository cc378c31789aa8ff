import type { Socket } from 'socket.io-client';
import { openSocket } from '../auth/socket';
import type { ClientToServerEvents, ServerToClientEvents } from '$lib/shared/protocol';
import type {
  Detection,
  BandPoint,
  RiverItem,
  SeriesBlock,
  SourceHealth,
  SeriesPoint,
  TopTopics,
  WallSnapshot,
  WallTick,
  WindowKey,
  WindowSummary
} from '$lib/shared/types';
import { RIVER_LIMIT, prependNewest } from './river';
import { MINUTES_HORIZON_MS, SECONDS_HORIZON_MS, emptyBlock, mergePoints } from './series';

/** State of the link to the server. */
export type LinkStatus = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** The typed Socket.IO client for the wall protocol. */
export type WallSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const RESYNC_TIMEOUT_MS = 10_000;

/**
 * River batches come every 250 ms, but on a 4K wall without a GPU each frame that changes anything
 * costs a composite of the whole screen (and the river's repaint). They are drawn once a second,
 * half-way between two ticks (RIVER_PHASE_MS after one), so that a second's changes take two
 * frames, neither of them carrying the other's work: the tick's frame (numbers, charts, clock)
 * and the river's. Without ticks, a batch waits at most RIVER_HOLD_MS.
 */
export const RIVER_HOLD_MS = 1000;
export const RIVER_PHASE_MS = 500;

/** Changes received since the last animation frame, folded so memory stays bounded. */
interface Pending {
  snapshot: WallSnapshot | null;
  windows: Record<WindowKey, WindowSummary> | null;
  serverTime: number | null;
  /** Chart points by bucket start; a later tick's point for the same bucket wins. */
  seconds: Map<number, SeriesPoint>;
  minutes: Map<number, SeriesPoint>;
  /** Top topics from the newest tick that carried them. */
  topics: TopTopics | null;
  /** Detections from the newest tick that carried them. */
  detections: Detection[] | null;
  /** New volume band points, by minute. */
  band: Map<number, BandPoint>;
  /** New negative band points, by minute. */
  negativeBand: Map<number, BandPoint>;
}

function emptyPending(): Pending {
  return {
    snapshot: null,
    windows: null,
    serverTime: null,
    seconds: new Map(),
    minutes: new Map(),
    topics: null,
    detections: null,
    band: new Map(),
    negativeBand: new Map()
  };
}

/** Band points kept on the client: 24 hours of minutes. */
const BAND_KEPT = 1440;

/** A band with the new points after its last one appended, at most BAND_KEPT points. */
function appendBand(band: BandPoint[], fresh: Map<number, BandPoint>): BandPoint[] {
  const last = band.length ? band[band.length - 1]!.t : -Infinity;
  const added = [...fresh.values()].filter((b) => b.t > last).sort((a, b) => a.t - b.t);
  return [...band, ...added].slice(-BAND_KEPT);
}

function ascending(points: Map<number, SeriesPoint>): SeriesPoint[] {
  return [...points.values()].sort((a, b) => a.t - b.t);
}

/**
 * Live wall state fed by Socket.IO: snapshots replace everything, sequenced ticks and river batches
 * are buffered and applied at most once per animation frame (river batches once a second, between
 * ticks: see RIVER_PHASE_MS), and sequence gaps trigger a resync.
 */
export class LiveState {
  /** Link status; the server sends a fresh snapshot on every (re)connect. */
  status = $state.raw<LinkStatus>('connecting');
  /** Client epoch ms when the newest snapshot or tick arrived, or null before any data. */
  lastDataAt = $state.raw<number | null>(null);
  /** Server epoch ms of the newest applied snapshot or tick. */
  serverTime = $state.raw<number | null>(null);
  /** Server clock minus client clock, for ages of server timestamps. */
  serverOffsetMs = $state.raw(0);
  /** Typical time between ticks, measured from their server times. */
  tickIntervalMs = $state.raw(1000);
  /** The brand's name, or null before the first snapshot. */
  brand = $state.raw<string | null>(null);
  /** Rolling-window summaries, or null before the first snapshot. */
  windows = $state.raw<Record<WindowKey, WindowSummary> | null>(null);
  /** Per-second history for the last 15 minutes. */
  seconds = $state.raw<SeriesBlock>(emptyBlock(1000));
  /** Per-minute history for the last 24 hours. */
  minutes = $state.raw<SeriesBlock>(emptyBlock(60_000));
  /** Newest mentions first. */
  river = $state.raw<RiverItem[]>([]);
  /** Health of every source, from snapshots and `source:status`. */
  sources = $state.raw<SourceHealth[]>([]);
  /**
   * Top topics from the snapshot, replaced whenever a tick carries new ones (ticks carry them only
   * every few seconds); null before the first snapshot.
   */
  topics = $state.raw<TopTopics | null>(null);
  /** Recent spike and anomaly detections, newest first. */
  detections = $state.raw<Detection[]>([]);
  /** Expected volume per minute with its band, oldest first. */
  band = $state.raw<BandPoint[]>([]);
  /** Expected negative mentions per minute with its band, oldest first. */
  negativeBand = $state.raw<BandPoint[]>([]);

  #socket: WallSocket | null = null;
  #lastSeq: number | null = null;
  #lastTickServerTime: number | null = null;
  #resyncing = false;
  /** Bumped on every resync and disconnect, so a late acknowledgement is recognised and ignored. */
  #resyncToken = 0;
  #receivedAt: number | null = null;
  #pendingInterval: number | null = null;
  #pending: Pending = emptyPending();
  #frame: number | null = null;
  /** River items not drawn yet, newest last. */
  #riverItems: RiverItem[] = [];
  #riverTimer: ReturnType<typeof setTimeout> | null = null;
  /** Set when the river's turn has come: the next frame draws its items. */
  #riverDue = false;

  /**
   * Opens the Socket.IO connection (same origin, `/socket.io`, with the display token if any) or
   * uses `socket` (tests); returns a function that closes it.
   */
  connect(socket: WallSocket = openSocket()): () => void {
    this.#socket = socket;

    socket.on('connect', () => {
      this.status = 'connected';
    });
    socket.on('disconnect', (reason) => {
      // Ticks after a reconnect are only trusted once the new snapshot has arrived.
      this.#lastSeq = null;
      this.#resyncing = false;
      this.#resyncToken++;
      if (reason === 'io client disconnect') {
        this.status = 'disconnected';
        return;
      }
      this.status = 'reconnecting';
      // A wall never gives up: a server-side disconnect does not reconnect by itself.
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('connect_error', () => {
      this.status = socket.active ? 'reconnecting' : 'disconnected';
    });
    const onReconnectFailed = (): void => {
      this.status = 'disconnected';
    };
    socket.io.on('reconnect_failed', onReconnectFailed);

    socket.on('wall:snapshot', (snapshot) => this.#acceptSnapshot(snapshot));
    socket.on('wall:tick', (tick) => this.#acceptTick(tick));
    socket.on('source:status', (sources) => {
      this.sources = sources;
    });
    socket.on('mention:batch', (batch) => {
      const items = this.#riverItems.concat(batch.items);
      this.#riverItems = items.length > RIVER_LIMIT ? items.slice(-RIVER_LIMIT) : items;
      // Drawn RIVER_PHASE_MS after the next tick, or alone if none comes within RIVER_HOLD_MS.
      if (this.#riverTimer === null) this.#armRiver(RIVER_HOLD_MS);
    });

    return () => {
      if (this.#frame !== null) cancelAnimationFrame(this.#frame);
      this.#frame = null;
      if (this.#riverTimer !== null) clearTimeout(this.#riverTimer);
      this.#riverTimer = null;
      socket.io.off('reconnect_failed', onReconnectFailed);
      socket.disconnect();
      socket.removeAllListeners();
      this.#socket = null;
      this.#resyncToken++;
      this.status = 'disconnected';
    };
  }

  /** The river's next turn in `ms` (replacing any turn already set). */
  #armRiver(ms: number): void {
    if (this.#riverTimer !== null) clearTimeout(this.#riverTimer);
    this.#riverTimer = setTimeout(() => {
      this.#riverTimer = null;
      this.#riverDue = true;
      this.#schedule();
    }, ms);
  }

  #acceptSnapshot(snapshot: WallSnapshot): void {
    // Everything buffered before a snapshot is already contained in it.
    this.#pending = emptyPending();
    this.#riverItems = [];
    this.#pending.snapshot = snapshot;
    this.#lastSeq = snapshot.seq;
    this.#lastTickServerTime = null;
    this.#receivedAt = Date.now();
    this.#schedule();
  }

  #acceptTick(tick: WallTick): void {
    if (this.#resyncing) return;
    const last = this.#lastSeq;
    if (last !== null && tick.seq <= last) return;
    if (last === null || tick.seq !== last + 1) {
      this.#resync();
      return;
    }
    this.#lastSeq = tick.seq;
    if (this.#lastTickServerTime !== null) {
      const gap = tick.serverTime - this.#lastTickServerTime;
      if (gap > 0) this.#pendingInterval = gap;
    }
    this.#lastTickServerTime = tick.serverTime;
    const p = this.#pending;
    p.windows = tick.windows;
    p.serverTime = tick.serverTime;
    for (const pt of tick.seconds) p.seconds.set(pt.t, pt);
    for (const pt of tick.minutes) p.minutes.set(pt.t, pt);
    if (tick.topics) p.topics = tick.topics;
    if (tick.detections) p.detections = tick.detections;
    if (tick.band) for (const b of tick.band) p.band.set(b.t, b);
    if (tick.negativeBand) for (const b of tick.negativeBand) p.negativeBand.set(b.t, b);
    this.#receivedAt = Date.now();
    this.#schedule();
  }

  #resync(): void {
    const socket = this.#socket;
    if (!socket || this.#resyncing) return;
    this.#resyncing = true;
    const token = ++this.#resyncToken;
    socket.timeout(RESYNC_TIMEOUT_MS).emit('wall:resync', {}, (err, res) => {
      if (token !== this.#resyncToken) return;
      this.#resyncing = false;
      // On failure the next tick finds the gap again and asks once more.
      if (err || !res.ok) return;
      this.#acceptSnapshot(res.data);
    });
  }

  #schedule(): void {
    if (this.#frame !== null) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = null;
      this.#flush();
    });
  }

  #flush(): void {
    const p = this.#pending;
    this.#pending = emptyPending();
    const ticked = p.serverTime !== null;

    let seconds = this.seconds;
    let minutes = this.minutes;
    let river = this.river;
    let serverTime = this.serverTime;

    if (p.snapshot) {
      const s = p.snapshot;
      this.brand = s.brand.name || null;
      this.sources = s.sources;
      this.windows = s.windows;
      seconds = s.seconds;
      minutes = s.minutes;
      river = prependNewest([], s.river.slice().reverse());
      serverTime = s.serverTime;
      // Always present on the wire; `?? null` only guards a server older than the client.
      this.topics = s.topics ?? null;
      this.detections = s.detections ?? [];
      this.band = s.band ?? [];
      this.negativeBand = s.negativeBand ?? [];
    }
    if (p.windows) this.windows = p.windows;
    if (p.topics) this.topics = p.topics;
    if (p.detections) this.detections = p.detections;
    if (p.band.size) this.band = appendBand(this.band, p.band);
    if (p.negativeBand.size) this.negativeBand = appendBand(this.negativeBand, p.negativeBand);
    if (p.serverTime !== null) serverTime = p.serverTime;
    if (serverTime !== null) {
      if (p.seconds.size) {
        seconds = mergePoints(seconds, ascending(p.seconds), SECONDS_HORIZON_MS, serverTime);
      }
      if (p.minutes.size) {
        minutes = mergePoints(minutes, ascending(p.minutes), MINUTES_HORIZON_MS, serverTime);
      }
    }
    if (this.#riverDue) {
      this.#riverDue = false;
      if (this.#riverItems.length) river = prependNewest(river, this.#riverItems);
      this.#riverItems = [];
    }
    // Items waiting: their turn comes half-way to the next tick, not in this tick's frame.
    if (ticked && this.#riverItems.length) this.#armRiver(RIVER_PHASE_MS);

    this.seconds = seconds;
    this.minutes = minutes;
    this.river = river;
    if (serverTime !== null && this.#receivedAt !== null) {
      this.serverTime = serverTime;
      this.serverOffsetMs = serverTime - this.#receivedAt;
    }
    if (this.#receivedAt !== null) this.lastDataAt = this.#receivedAt;
    if (this.#pendingInterval !== null) {
      this.tickIntervalMs = this.#pendingInterval;
      this.#pendingInterval = null;
    }
  }
}
