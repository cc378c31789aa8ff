import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Channel, Mention } from '../../src/lib/shared/types.js';
import {
  MAX_PENDING_REPLIES,
  createSimulator,
  type Simulator,
  type SimulatorOptions
} from '../../server/adapters/sources/simulator/generator.js';
import { createSimulatorSource } from '../../server/adapters/sources/simulator/simulator-source.js';
import { scoreSentiment } from '../../server/core/enrich/sentiment.js';

const BRAND = '@NorthwindHelp';
const BASE: SimulatorOptions = {
  seed: 7,
  rate: 5,
  brandHandle: BRAND,
  brandName: 'Northwind',
  timeScale: 1,
  crisisEveryMs: 0
};
/** Midnight UTC, so simulated hours are easy to reason about. */
const T0 = Date.UTC(2024, 0, 15);
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

const CRISIS_TAG =
  /#(NorthwindDown|DoubleCharged|NorthwindRecall|NorthwindDelays|BoycottNorthwind)/;
/** Case-insensitive whole-word match of any of the space-separated words. */
function anyWord(...lines: string[]): RegExp {
  return new RegExp(`\\b(${lines.join(' ').split(' ').join('|')})\\b`, 'i');
}
const NEGATIVE_WORDS = anyWord(
  'worst terrible awful broken furious ridiculous unacceptable useless disappointed fed',
  'disappointing horrible scam joke nightmare rude pathetic frustrating annoying disgusting',
  'outraged angry flimsy fault'
);
const POSITIVE_WORDS = anyWord(
  'love great amazing awesome thanks excellent fantastic brilliant perfect perfectly best happy',
  'impressed recommend'
);

/** Calls `next` every `stepMs` from `start` for `durationMs` and concatenates the output. */
function collect(sim: Simulator, start: number, durationMs: number, stepMs: number): Mention[] {
  const out: Mention[] = [];
  for (let t = start + stepMs; t <= start + durationMs; t += stepMs) {
    for (const m of sim.next(t)) out.push(m);
  }
  return out;
}

function isBrandReply(m: Mention): boolean {
  return m.author.handle === BRAND;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Delays of replies whose parent was created before `parentCutoff`, plus the replied-to share. */
function replyStats(all: Mention[], parentCutoff: number) {
  const parents = new Map<string, Mention>();
  // Customers' posts (follow-ups to the brand's replies are not parents of brand replies).
  for (const m of all) if (!isBrandReply(m) && m.inReplyToId === null) parents.set(m.id, m);
  const delays: number[] = [];
  for (const m of all) {
    if (!isBrandReply(m) || m.inReplyToId === null) continue;
    const parent = parents.get(m.inReplyToId);
    if (parent === undefined) throw new Error(`reply ${m.id} has no parent`);
    if (parent.createdAt < parentCutoff) delays.push(m.createdAt - parent.createdAt);
  }
  const eligible = [...parents.values()].filter(
    (m) => m.createdAt < parentCutoff && ['twitter', 'facebook', 'instagram'].includes(m.channel)
  ).length;
  return { delays, replyShare: delays.length / eligible };
}

describe('createSimulator', () => {
  it('is deterministic for the same seed and call sequence and differs across seeds', () => {
    const steps = [1, 199, 0, 250, 1_000, 3, 5_000, 60_000, 200, 17];
    const run = (seed: number) => {
      const sim = createSimulator(
        { ...BASE, seed, rate: 15, timeScale: 200, crisisEveryMs: 20_000 },
        T0
      );
      const out: Mention[] = [];
      let t = T0;
      for (let i = 0; i < 40; i++) {
        t += steps[i % steps.length] ?? 0;
        out.push(...sim.next(t));
      }
      return out;
    };
    const a = run(7);
    const b = run(7);
    const c = run(8);
    expect(a.length).toBeGreaterThan(2_000);
    expect(b).toEqual(a);
    expect(c.map((m) => m.text)).not.toEqual(a.map((m) => m.text));
    const run36 = T0.toString(36);
    expect(a[0]?.id).toBe(`sim-7-${run36}-1`);
    expect(c[0]?.id).toBe(`sim-8-${run36}-1`);
    expect(new Set(a.map((m) => m.id)).size).toBe(a.length);
    const malformed = a.filter(
      (m) =>
        !new RegExp(`^sim-7-${T0.toString(36)}-\\d+$`).test(m.id) ||
        m.url !== `https://example.com/${m.channel}/${m.id}` ||
        m.lang !== 'en' ||
        m.source !== 'simulator'
    );
    expect(malformed).toEqual([]);
    expect(a.some((m) => isBrandReply(m))).toBe(true);
    // A later run (a restart on the same database) never reuses an id of an earlier one.
    const later = createSimulator({ ...BASE, seed: 7, rate: 15 }, T0 + 60_000).next(T0 + 61_000);
    expect(later.some((m) => a.some((x) => x.id === m.id))).toBe(false);
  });

  it('uses the configured source name', () => {
    const sim = createSimulator({ ...BASE, rate: 50, source: 'demo' }, T0);
    const out = sim.next(T0 + 10_000);
    expect(out.length).toBeGreaterThan(0);
    expect(out.every((m) => m.source === 'demo')).toBe(true);
  });

  it('emits ascending createdAt within (lastNow, now], nothing when time does not advance', () => {
    const sim = createSimulator({ ...BASE, rate: 40, timeScale: 500, crisisEveryMs: 30_000 }, T0);
    let last = T0;
    let total = 0;
    let replies = 0;
    const violations: string[] = [];
    const steps = [0, 1, 7, 200, 1_000, 2_500, 13, 999, 0, 4_000];
    for (let i = 0; i < 500; i++) {
      const now = last + (steps[i % steps.length] ?? 0);
      const out = sim.next(now);
      let prev = last;
      for (const m of out) {
        if (m.createdAt <= last || m.createdAt > now || m.createdAt < prev) {
          violations.push(`${m.id} at ${m.createdAt} in (${last}, ${now}] after ${prev}`);
        }
        prev = m.createdAt;
        if (isBrandReply(m)) replies++;
      }
      if (now === last && out.length > 0) violations.push(`output at unchanged now ${now}`);
      total += out.length;
      last = now;
    }
    expect(violations).toEqual([]);
    expect(sim.next(last - 1_000)).toEqual([]);
    expect(total).toBeGreaterThan(10_000);
    // Replies interleave with customer mentions, so the merge is exercised.
    expect(replies).toBeGreaterThan(1_000);
  });

  describe('a simulated day without crises', () => {
    // timeScale 24: one wall-clock hour covers one simulated day.
    const rate = 20;
    const all = collect(createSimulator({ ...BASE, rate, timeScale: 24 }, T0), T0, HOUR, 1_000);
    const customers = all.filter((m) => !isBrandReply(m) && m.inReplyToId === null);

    it('matches the configured mean rate over a whole day', () => {
      expect(customers.length / 3_600).toBeGreaterThan(rate * 0.97);
      expect(customers.length / 3_600).toBeLessThan(rate * 1.03);
    });

    it('is quiet at night and peaks in the early afternoon of simulated time', () => {
      // Simulated hour h of the day is wall-clock minute h * 2.5 after T0.
      const countHours = (from: number, to: number) =>
        customers.filter((m) => {
          const hour = ((m.createdAt - T0) * 24) / HOUR;
          return hour >= from && hour < to;
        }).length;
      const night = countHours(2, 5);
      const afternoon = countHours(12, 15);
      expect(afternoon).toBeGreaterThan(night * 4);
      expect(countHours(19, 22)).toBeGreaterThan(night * 3);
    });

    it('spreads customer mentions over channels in realistic proportions', () => {
      const expected: Record<Channel, number> = {
        twitter: 0.45,
        facebook: 0.15,
        instagram: 0.12,
        reddit: 0.1,
        forum: 0.06,
        review: 0.07,
        news: 0.05,
        bluesky: 0,
        mastodon: 0
      };
      for (const [channel, share] of Object.entries(expected)) {
        const actual = customers.filter((m) => m.channel === channel).length / customers.length;
        expect(Math.abs(actual - share), channel).toBeLessThan(0.015);
      }
    });

    it('writes varied texts with a realistic sentiment mix', () => {
      const texts = customers.map((m) => m.text);
      expect(new Set(texts).size).toBeGreaterThan(10_000);
      let negative = 0;
      let positive = 0;
      const mixed: string[] = [];
      for (const text of texts) {
        const neg = NEGATIVE_WORDS.test(text);
        const pos = POSITIVE_WORDS.test(text);
        if (neg && pos) mixed.push(text);
        if (neg) negative++;
        if (pos) positive++;
      }
      expect(mixed).toEqual([]);
      expect(negative / texts.length).toBeGreaterThan(0.3);
      expect(negative / texts.length).toBeLessThan(0.4);
      expect(positive / texts.length).toBeGreaterThan(0.2);
      expect(positive / texts.length).toBeLessThan(0.3);
      // Reddit posts use reddit-style handles; review and news texts have their own styles.
      expect(
        customers
          .filter((m) => m.channel === 'reddit')
          .every((m) => m.author.handle.startsWith('u/'))
      ).toBe(true);
      expect(
        customers.filter((m) => m.channel === 'review').every((m) => m.text.startsWith('★'))
      ).toBe(true);
    });

    it('draws authors from a repeating pool with power-law followers and rare influencers', () => {
      const handles = new Set(customers.map((m) => m.author.handle.replace(/^(@|u\/)/, '')));
      expect(handles.size).toBeGreaterThan(1_500);
      expect(handles.size).toBeLessThan(4_000);
      const people = customers.filter((m) => m.channel !== 'news');
      const followers = median(people.map((m) => m.author.followers));
      expect(followers).toBeGreaterThan(150);
      expect(followers).toBeLessThan(1_000);
      const influencers = people.filter((m) => m.author.followers >= 100_000);
      expect(influencers.length).toBeGreaterThan(0);
      expect(influencers.length).toBeLessThan(people.length * 0.02);
      expect(Math.max(...people.map((m) => m.author.followers))).toBeLessThanOrEqual(5_000_000);
      expect(influencers.filter((m) => m.author.verified).length).toBeGreaterThan(
        influencers.length / 2
      );
      expect(people.filter((m) => m.author.verified).length).toBeLessThan(people.length * 0.02);
    });

    it('geotags about 30% of mentions with real city coordinates', () => {
      const geo = customers.filter((m) => m.geo !== null);
      expect(geo.length / customers.length).toBeGreaterThan(0.27);
      expect(geo.length / customers.length).toBeLessThan(0.33);
      const countries = new Set(geo.map((m) => m.geo?.country));
      expect(countries.size).toBeGreaterThan(20);
      const invalid = geo.filter(
        (m) =>
          !/^[A-Z]{2}$/.test(m.geo?.country ?? '') ||
          Math.abs(m.geo?.lat ?? 99) > 90 ||
          Math.abs(m.geo?.lon ?? 999) > 180
      );
      expect(invalid).toEqual([]);
      // New York is the heaviest-weighted city.
      const nearNewYork = geo.filter(
        (m) =>
          Math.abs((m.geo?.lat ?? 0) - 40.71) < 0.1 && Math.abs((m.geo?.lon ?? 0) + 74.01) < 0.1
      );
      expect(nearNewYork.length).toBeGreaterThan(geo.length * 0.04);
    });
  });

  it('replies as the brand with a log-normal delay (median 12 min, ~77% within 1 h)', () => {
    const sim = createSimulator({ ...BASE, rate: 1 }, T0);
    // Parents from day one only: a reply later than 48 h (p ~ 0.6%) falls outside the run.
    const all = collect(sim, T0, 3 * DAY, MINUTE);
    const { delays, replyShare } = replyStats(all, T0 + DAY);
    expect(delays.length).toBeGreaterThan(15_000);
    expect(median(delays) / MINUTE).toBeGreaterThan(11);
    expect(median(delays) / MINUTE).toBeLessThan(13);
    const withinHour = delays.filter((d) => d <= HOUR).length / delays.length;
    expect(withinHour).toBeGreaterThan(0.75);
    expect(withinHour).toBeLessThan(0.79);
    expect(replyShare).toBeGreaterThan(0.36);
    expect(replyShare).toBeLessThan(0.44);

    const byId = new Map(all.map((m) => [m.id, m]));
    const replies = all.filter(isBrandReply);
    const malformed = replies.filter((reply) => {
      const parent = byId.get(reply.inReplyToId ?? '');
      return (
        parent === undefined ||
        parent.channel !== reply.channel ||
        !['twitter', 'facebook', 'instagram'].includes(reply.channel) ||
        !reply.text.includes(parent.author.handle) ||
        reply.author.name !== 'Northwind Support' ||
        !reply.author.verified ||
        reply.author.followers < 100_000 ||
        reply.geo !== null
      );
    });
    expect(malformed).toEqual([]);
    expect(new Set(replies.map((m) => m.text.replace(/@\S+/, ''))).size).toBeGreaterThan(8);
  });

  it('lets about 45% of answered customers follow up: thanks, a DM hand-off or still unresolved', () => {
    const sim = createSimulator({ ...BASE, rate: 1 }, T0);
    const all = collect(sim, T0, 2 * DAY, MINUTE);
    const byId = new Map(all.map((m) => [m.id, m]));
    const replies = all.filter(isBrandReply);
    const followUps = all.filter((m) => {
      const parent = m.inReplyToId === null ? undefined : byId.get(m.inReplyToId);
      return !isBrandReply(m) && parent !== undefined && isBrandReply(parent);
    });
    const share = followUps.length / replies.length;
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.5);
    for (const f of followUps) {
      const reply = byId.get(f.inReplyToId!)!;
      const customer = byId.get(reply.inReplyToId!)!;
      // The customer who posted answers the brand's reply, later, on the same channel.
      expect(f.author.handle).toBe(customer.author.handle);
      expect(f.channel).toBe(reply.channel);
      expect(f.createdAt).toBeGreaterThan(reply.createdAt);
    }
    const thanks = followUps.filter((m) => /thank|appreciate/i.test(m.text)).length;
    const dms = followUps.filter((m) => /DM|direct message/.test(m.text)).length;
    expect(thanks / followUps.length).toBeGreaterThan(0.35);
    expect(dms / followUps.length).toBeGreaterThan(0.2);
  });

  it('divides reply delays by timeScale', () => {
    const sim = createSimulator({ ...BASE, rate: 20, timeScale: 60 }, T0);
    const all = collect(sim, T0, HOUR, 1_000);
    const { delays } = replyStats(all, T0 + 20 * MINUTE);
    expect(delays.length).toBeGreaterThan(5_000);
    expect(median(delays)).toBeGreaterThan(11_000);
    expect(median(delays)).toBeLessThan(13_000);
    const withinMinute = delays.filter((d) => d <= MINUTE).length / delays.length;
    expect(withinMinute).toBeGreaterThan(0.74);
    expect(withinMinute).toBeLessThan(0.8);
  });

  it('produces crisis spikes with mostly on-topic texts and an influencer post', () => {
    const options = { ...BASE, rate: 10, crisisEveryMs: 600_000 };
    const buckets = (all: Mention[]) => {
      const counts = new Array<number>(360).fill(0);
      for (const m of all) {
        if (isBrandReply(m)) continue;
        const i = Math.floor((m.createdAt - T0 - 1) / 10_000);
        counts[i] = (counts[i] ?? 0) + 1;
      }
      return counts;
    };
    const withCrises = collect(createSimulator(options, T0), T0, HOUR, 1_000);
    const calm = collect(createSimulator({ ...options, crisisEveryMs: 0 }, T0), T0, HOUR, 1_000);
    const counts = buckets(withCrises);
    const baseline = median(counts);
    const peak = Math.max(...counts);
    expect(peak).toBeGreaterThanOrEqual(3 * baseline);
    expect(Math.max(...buckets(calm))).toBeLessThan(2 * median(buckets(calm)));

    const peakStart = T0 + counts.indexOf(peak) * 10_000;
    const inPeak = withCrises.filter(
      (m) => !isBrandReply(m) && m.createdAt > peakStart && m.createdAt <= peakStart + 10_000
    );
    const tagged = inPeak.filter((m) => CRISIS_TAG.test(m.text));
    expect(tagged.length).toBeGreaterThan(inPeak.length * 0.4);
    const topics = new Set(tagged.map((m) => CRISIS_TAG.exec(m.text)?.[1]));
    expect(topics.size).toBe(1);
    expect(inPeak.filter((m) => NEGATIVE_WORDS.test(m.text)).length).toBeGreaterThan(
      inPeak.filter((m) => POSITIVE_WORDS.test(m.text)).length * 3
    );
    const influencerPosts = withCrises.filter(
      (m) =>
        m.author.verified &&
        m.author.followers >= 100_000 &&
        !isBrandReply(m) &&
        CRISIS_TAG.test(m.text) &&
        Math.abs(m.createdAt - peakStart) < 180_000
    );
    expect(influencerPosts.length).toBeGreaterThan(0);
  });

  it('keeps pending replies bounded under extreme load', () => {
    // 14:00 UTC, near the daily peak.
    const start = T0 + 14 * HOUR;
    const sim = createSimulator({ ...BASE, rate: 150_000 }, start);
    let emitted = 0;
    for (let t = start + 100; t <= start + 2_000; t += 100) emitted += sim.next(t).length;
    expect(emitted).toBeGreaterThan(300_000);
    expect(sim.pendingReplies()).toBeLessThanOrEqual(MAX_PENDING_REPLIES);
    expect(sim.pendingReplies()).toBeGreaterThan(MAX_PENDING_REPLIES * 0.99);

    const light = createSimulator({ ...BASE, rate: 50 }, T0);
    const lightOut = collect(light, T0, 60_000, 1_000);
    const scheduled = lightOut.filter((m) => !isBrandReply(m)).length;
    expect(light.pendingReplies()).toBeGreaterThan(scheduled * 0.2);
    expect(light.pendingReplies()).toBeLessThan(scheduled * 0.4);
  });

  describe('competitor chatter', () => {
    const COMPETITOR = /\b(Contoso|Fabrikam)\b/;
    const SOCIAL = ['twitter', 'facebook', 'instagram', 'reddit', 'forum'];
    // A crisis-free simulated day (timeScale 24), so every customer post is an ordinary mention.
    const day = collect(createSimulator({ ...BASE, rate: 20, timeScale: 24 }, T0), T0, HOUR, 1_000);
    const customers = day.filter((m) => !isBrandReply(m) && m.inReplyToId === null);
    const chatter = customers.filter((m) => COMPETITOR.test(m.text));

    it('names a competitor, both of the defaults, in about 5% of ordinary mentions', () => {
      expect(customers.length).toBeGreaterThan(50_000);
      const share = chatter.length / customers.length;
      expect(share).toBeGreaterThan(0.03);
      expect(share).toBeLessThan(0.08);
      const contoso = chatter.filter((m) => /\bContoso\b/.test(m.text)).length;
      const fabrikam = chatter.filter((m) => /\bFabrikam\b/.test(m.text)).length;
      expect(contoso).toBeGreaterThan(chatter.length * 0.4);
      expect(fabrikam).toBeGreaterThan(chatter.length * 0.4);
      // Social posts only: reviews and news keep their own styles; replies never name one.
      expect(chatter.filter((m) => !SOCIAL.includes(m.channel))).toEqual([]);
      expect(day.filter((m) => m.inReplyToId !== null && COMPETITOR.test(m.text))).toEqual([]);
    });

    it('keeps the sentiment toward the brand coherent with the text', () => {
      // The brand's reply is chosen by the sentiment the simulator drew for the post; the wall's
      // own analyzer must read the competitor text the same way.
      const chatterById = new Map(chatter.map((m) => [m.id, m]));
      const replyClass = (text: string) =>
        /sorry|Apologies|not the experience/.test(text)
          ? 'negative'
          : /kind words|love to hear|made our day/.test(text)
            ? 'positive'
            : 'neutral';
      const seen = { negative: 0, neutral: 0, positive: 0 };
      const incoherent: string[] = [];
      for (const m of day) {
        const parent = m.inReplyToId === null ? undefined : chatterById.get(m.inReplyToId);
        if (parent === undefined || !isBrandReply(m)) continue;
        const expected = replyClass(m.text);
        seen[expected]++;
        if (scoreSentiment(parent.text).label !== expected) {
          incoherent.push(`${expected}: ${parent.text}`);
        }
      }
      expect(incoherent).toEqual([]);
      expect(Math.min(seen.negative, seen.neutral, seen.positive)).toBeGreaterThan(50);
    });

    it('leaves every other random draw unchanged: only the chosen texts differ', () => {
      // Crises on, so the crisis stream and crisis posts are covered too.
      const options = { ...BASE, rate: 20, timeScale: 24, crisisEveryMs: 300_000 };
      const on = collect(createSimulator(options, T0), T0, 20 * MINUTE, 1_000);
      const off = collect(
        createSimulator({ ...options, competitors: [] }, T0),
        T0,
        20 * MINUTE,
        1_000
      );
      expect(off.filter((m) => COMPETITOR.test(m.text))).toEqual([]);
      expect(on.length).toBe(off.length);
      const withoutText = (m: Mention) => ({ ...m, text: '' });
      // Ids, times, channels, authors, geo, reply links: all the same.
      expect(on.map(withoutText)).toEqual(off.map(withoutText));
      const changed = on.filter((m, i) => m.text !== off[i]!.text);
      expect(changed.length).toBeGreaterThan(200);
      // Exactly the posts that name a competitor changed.
      expect(changed).toEqual(on.filter((m) => COMPETITOR.test(m.text)));
    });

    it('writes the same competitor texts for the same seed, other ones for another seed', () => {
      const texts = (seed: number) =>
        collect(createSimulator({ ...BASE, seed, rate: 20 }, T0), T0, 10 * MINUTE, 1_000)
          .filter((m) => COMPETITOR.test(m.text))
          .map((m) => `${m.id} ${m.text}`);
      const a = texts(7);
      expect(a.length).toBeGreaterThan(100);
      expect(texts(7)).toEqual(a);
      expect(texts(8)).not.toEqual(a);
    });

    it('names the configured competitors only', () => {
      const sim = createSimulator({ ...BASE, rate: 50, competitors: ['Globex'] }, T0);
      const out = collect(sim, T0, 10 * MINUTE, 1_000);
      expect(out.filter((m) => /\bGlobex\b/.test(m.text)).length).toBeGreaterThan(500);
      expect(out.filter((m) => COMPETITOR.test(m.text))).toEqual([]);
    });
  });

  it('rejects invalid options', () => {
    expect(() => createSimulator({ ...BASE, competitors: ['Contoso', ' '] }, T0)).toThrow(
      RangeError
    );
    expect(() => createSimulator({ ...BASE, rate: -1 }, T0)).toThrow(RangeError);
    expect(() => createSimulator({ ...BASE, timeScale: 0 }, T0)).toThrow(RangeError);
    expect(() => createSimulator({ ...BASE, crisisEveryMs: -5 }, T0)).toThrow(RangeError);
    expect(() => createSimulator({ ...BASE, seed: Number.NaN }, T0)).toThrow(RangeError);
  });
});

describe('createSimulatorSource', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('polls the simulator on its interval, forwards non-empty batches and stops', async () => {
    vi.useFakeTimers();
    let now = T0;
    const clock = { now: () => now };
    const options = { ...BASE, rate: 20 };
    const source = createSimulatorSource(options, clock, 200);
    expect(source.name).toBe('simulator');
    const batches: Mention[][] = [];
    source.start(async (batch) => batches.push(batch));

    const reference = createSimulator(options, T0);
    const expected: Mention[] = [];
    for (let i = 0; i < 50; i++) {
      now += 200;
      expected.push(...reference.next(now));
      vi.advanceTimersByTime(200);
    }
    expect(batches.length).toBeGreaterThan(30);
    expect(batches.every((b) => b.length > 0)).toBe(true);
    expect(batches.flat()).toEqual(expected);

    await source.stop();
    const delivered = batches.length;
    now += 10_000;
    vi.advanceTimersByTime(10_000);
    expect(batches.length).toBe(delivered);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never calls the sink with an empty batch', () => {
    vi.useFakeTimers();
    let now = T0;
    const source = createSimulatorSource({ ...BASE, rate: 0 }, { now: () => now }, 100);
    const sink = vi.fn();
    source.start(sink);
    for (let i = 0; i < 20; i++) {
      now += 100;
      vi.advanceTimersByTime(100);
    }
    expect(sink).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(1);
    void source.stop();
  });
});
