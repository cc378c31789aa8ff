import {
  INFLUENCE_TIERS,
  type InfluenceTier,
  type WallConfig,
  type WallPanels
} from '../../../src/lib/shared/types';
import { anyOf, type CompetitorTerms, type ExploreFilter } from '../../core/explore/query';
import {
  DEFAULT_WALL_CONFIG,
  WALL_SETTINGS_KEY,
  completeWallConfig,
  wallConfigSchema
} from '../../core/wall/config';
import type { Store } from '../../ports';

/** The window the wall's slower panels cover: the last hour. */
export const WALL_PANELS_WINDOW_MS = 3_600_000;
/** Influencers the panel lists at most. */
export const WALL_INFLUENCERS = 10;

const TIER_RANK: Record<InfluenceTier, number> = Object.fromEntries(
  INFLUENCE_TIERS.map((t, i) => [t, i])
) as Record<InfluenceTier, number>;
const tierOf = (t: string): InfluenceTier =>
  (INFLUENCE_TIERS as readonly string[]).includes(t) ? (t as InfluenceTier) : 'everyday';

/** Options of the wall service. */
export interface WallServiceOptions {
  store: () => Store;
  /** The configured competitors' names and terms (share of voice). */
  competitors: () => CompetitorTerms[];
  /** The brand's name, the first entry of share of voice. */
  brandName: () => string;
}

/** Where the configuration in force came from when it was loaded. */
export type WallConfigOrigin = 'stored' | 'default' | 'invalid';

/**
 * The wall's scenes and playlists (the `wall` setting, validated with `wallConfigSchema`, always
 * completed with the built-in scenes) and its slower panels (`wall:panels`): geography, share of
 * voice and influencers over the last hour, read from the store.
 */
export class WallService {
  private current: WallConfig = completeWallConfig(DEFAULT_WALL_CONFIG);
  private last: WallPanels | null = null;

  constructor(private readonly opts: WallServiceOptions) {}

  /** The complete configuration in force. */
  get config(): WallConfig {
    return this.current;
  }

  /** The panels last computed, or null before the first `panels()`. */
  get latest(): WallPanels | null {
    return this.last;
  }

  /** Loads the stored configuration; a missing or invalid one leaves the defaults. */
  start(): WallConfigOrigin {
    const stored = this.opts.store().getSetting(WALL_SETTINGS_KEY);
    if (stored === null || stored === undefined) return 'default';
    const r = wallConfigSchema.safeParse(stored);
    if (!r.success) return 'invalid';
    this.apply(r.data);
    return 'stored';
  }

  /** Puts a validated configuration in force; returns it completed. */
  apply(config: WallConfig): WallConfig {
    this.current = completeWallConfig(config);
    return this.current;
  }

  /** Stores a validated configuration, then puts it in force; resolves with it completed. */
  async save(config: WallConfig, at: number): Promise<WallConfig> {
    await this.opts.store().putSetting(WALL_SETTINGS_KEY, config, at);
    return this.apply(config);
  }

  /**
   * Computes the panels over the hour ending at `now` in one go (synchronous SQLite reads on the
   * calling thread; see `refresh` for the job's stepwise form): located mentions per 1° cell with
   * their negative count, share of voice as explore's compare counts it (the brand = all −
   * naming any competitor, each competitor by its terms in the text index), and the ten authors
   * of the most reach among explore's top authors of the hour.
   */
  panels(now: number): WallPanels {
    const geo = this.geo(now);
    return this.done(now, geo, this.voice(now, geo.total), this.influencers(now));
  }

  /**
   * The same as `panels`, with `pause()` awaited between its three reads (geography, share of
   * voice, influencers), so that each blocks the event loop on its own rather than all together.
   */
  async refresh(now: number, pause: () => Promise<void>): Promise<WallPanels> {
    const geo = this.geo(now);
    await pause();
    const voice = this.voice(now, geo.total);
    await pause();
    return this.done(now, geo, voice, this.influencers(now));
  }

  private done(
    now: number,
    geo: WallPanels['geo'],
    voice: WallPanels['voice'],
    influencers: WallPanels['influencers']
  ): WallPanels {
    this.last = { asOf: now, windowMs: WALL_PANELS_WINDOW_MS, geo, voice, influencers };
    return this.last;
  }

  /** One pass over the hour's rows (store.explore.geoCells). */
  private geo(now: number): WallPanels['geo'] {
    return this.opts.store().explore.geoCells(now - WALL_PANELS_WINDOW_MS, now);
  }

  /** The brand (`total` − naming any competitor), then each competitor, from the text index. */
  private voice(now: number, total: number): WallPanels['voice'] {
    const store = this.opts.store();
    const competitors = this.opts.competitors();
    const from = now - WALL_PANELS_WINDOW_MS;
    const count = (terms: readonly string[]): number => {
      const q = anyOf(terms);
      return q ? store.explore.countMatching(from, now, q) : 0;
    };
    const rivals = competitors.length ? count(competitors.flatMap((c) => c.terms)) : 0;
    return [
      { name: this.opts.brandName(), count: Math.max(0, total - rivals), brand: true },
      ...competitors.map((c) => ({ name: c.name, count: count(c.terms), brand: false }))
    ];
  }

  /**
   * explore's top authors of the hour (the most mentions, counted on an even sample of at most
   * 20,000 rows), ordered by tier, then followers: an author with a single mention in a busy hour
   * may be missed.
   */
  private influencers(now: number): WallPanels['influencers'] {
    const f: ExploreFilter = { from: now - WALL_PANELS_WINDOW_MS, to: now };
    return this.opts
      .store()
      .explore.top(f, this.opts.competitors(), { terms: false })
      .authors.map((a) => ({
        handle: a.handle,
        name: a.name,
        followers: a.followers,
        influenceTier: tierOf(a.influenceTier),
        count: a.count,
        negative: a.negative
      }))
      .sort(
        (a, b) =>
          TIER_RANK[b.influenceTier] - TIER_RANK[a.influenceTier] ||
          b.followers - a.followers ||
          b.count - a.count ||
          (a.handle < b.handle ? -1 : a.handle > b.handle ? 1 : 0)
      )
      .slice(0, WALL_INFLUENCERS);
  }
}
