import type { SourceHealth } from '../../../src/lib/shared/types';
import type { RuleInput } from '../../core/alerts/rules';
import { toRiverItem, type Pipeline } from '../../core/pipeline';

/** When mentions were last seen, overall and by source, channel and topic. */
export type LastSeen = RuleInput['lastSeen'];

/** An empty record of when mentions were last seen. */
export function emptyLastSeen(): LastSeen {
  return { any: null, bySource: {}, byChannel: {}, byTopic: {} };
}

/**
 * The live state alert rules read at `now`, from a pipeline: its windows, its detectors at every
 * sensitivity, the customer mentions counted since the last call (which also update `lastSeen`),
 * the oldest unanswered mentions and the topic counts. `sources` adds each source's last event.
 */
export function ruleInputFrom(
  pipeline: Pipeline,
  now: number,
  startedAt: number,
  lastSeen: LastSeen,
  sources: readonly SourceHealth[] = [],
  care?: RuleInput['care']
): RuleInput {
  const sample = pipeline.takeAlertSample();
  const later = (prev: number | null | undefined, at: number): boolean => (prev ?? -Infinity) < at;
  for (const m of sample) {
    const at = Math.min(m.createdAt, now);
    if (later(lastSeen.any, at)) lastSeen.any = at;
    if (later(lastSeen.bySource[m.source], at)) lastSeen.bySource[m.source] = at;
    if (later(lastSeen.byChannel[m.channel], at)) lastSeen.byChannel[m.channel] = at;
    for (const t of m.topics) if (later(lastSeen.byTopic[t], at)) lastSeen.byTopic[t] = at;
  }
  for (const h of sources) {
    if (h.lastEventAt !== null && later(lastSeen.bySource[h.name], h.lastEventAt)) {
      lastSeen.bySource[h.name] = h.lastEventAt;
    }
  }
  return {
    now,
    startedAt,
    windows: pipeline.summaries(now),
    detections: {
      low: pipeline.monitors.low.recent(),
      balanced: pipeline.monitors.balanced.recent(),
      high: pipeline.monitors.high.recent()
    },
    mentions: sample.map((m) => ({
      source: m.source,
      channel: m.channel,
      createdAt: m.createdAt,
      text: m.text,
      topics: m.topics,
      sentiment: m.sentiment.label,
      influenceTier: m.influenceTier,
      item: toRiverItem(m)
    })),
    unansweredSince: pipeline.windows.oldestPending(1000),
    lastSeen,
    topics15m: pipeline.topicCounts(now),
    ...(care ? { care } : {})
  };
}
