import type { Config } from '../../config';
import type { SourcesConfig } from '../../core/tracking';
import type { MentionSource } from '../../ports';
import type { Scheduler } from '../scheduler/node-scheduler';
import { createBlueskySource } from './connectors/bluesky';
import { createMastodonSource } from './connectors/mastodon';
import { createRssSources } from './connectors/rss';
import type { SourceContext } from './context';
import { createReplaySource } from './replay';
import { createSimulatorSource } from './simulator/simulator-source';

/**
 * Whether the simulator runs: unless SIMULATOR=off, the config file turns it off, or a replay is
 * running (the replay is then the demo stream).
 */
export function simulatorOn(config: Config, sources: SourcesConfig): boolean {
  return config.simulator.enabled && sources.simulator?.enabled !== false && config.replay === null;
}

/** Builds the configured sources (the simulator when `simulatorOn`). */
export function createSources(
  config: Config,
  sources: SourcesConfig,
  ctx: SourceContext,
  scheduler: Scheduler,
  brand: { name: string; handles: readonly string[] },
  onBrandHandles: (handles: string[]) => void
): MentionSource[] {
  const out: MentionSource[] = [];
  if (simulatorOn(config, sources)) {
    out.push(
      createSimulatorSource(
        {
          seed: config.simulator.seed,
          rate: config.simulator.rate,
          brandHandle: brand.handles[0] ?? '@brand',
          brandName: brand.name,
          timeScale: config.simulator.timeScale,
          crisisEveryMs: config.simulator.crisisEveryMs,
          competitors: config.simulator.competitors
        },
        ctx.clock
      )
    );
  }
  if (config.replay) out.push(createReplaySource({ ...config.replay, onBrandHandles }, ctx));
  if (sources.bluesky?.enabled) out.push(createBlueskySource(sources.bluesky, ctx));
  if (sources.mastodon?.enabled) out.push(createMastodonSource(sources.mastodon, ctx));
  if (sources.rss?.enabled) out.push(...createRssSources(sources.rss, ctx, scheduler));
  return out;
}
