import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import RiverItem from '../../../src/lib/components/wall/RiverItem.svelte';
import type { RiverItem as Item } from '../../../src/lib/shared/types';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

function item(over: Partial<Item> = {}): Item {
  return {
    id: 'm1',
    channel: 'twitter',
    createdAt: T0,
    text: 'Where is my parcel?',
    author: { handle: '@a', name: 'A', followers: 10, verified: false },
    sentiment: { score: -0.4, label: 'negative' },
    isBrandReply: false,
    url: null,
    source: 'simulator',
    intent: 'question',
    topics: ['Delivery & shipping'],
    influenceTier: 'everyday',
    priority: 40,
    ...over
  };
}

const html = (over: Partial<Item> = {}): string =>
  render(RiverItem, { props: { item: item(over), now: T0 + 1000 } }).body;

describe('RiverItem', () => {
  it("links the author to explore over a day that includes the current minute's mentions", () => {
    // 50 s into a minute, a mention from a second ago must be inside the linked range.
    const now = T0 + 50_000;
    const body = render(RiverItem, {
      props: { item: item({ createdAt: now - 1000 }), now }
    }).body;
    const href = /href="[^"?]*\?([^"]+)"/.exec(body)![1]!.replaceAll('&amp;', '&');
    const q = new URLSearchParams(href);
    expect(Number(q.get('to'))).toBeGreaterThanOrEqual(now);
    expect(Number(q.get('to')) - Number(q.get('from'))).toBe(86_400_000);
    expect(q.get('author')).toBe('@a');
  });

  it('colours by the sentiment label and shows the intent chip', () => {
    const body = html();
    expect(body).toContain('data-sentiment="negative"');
    expect(body).toContain('Negative');
    expect(body).toMatch(/data-testid="intent"[^>]*>question</);
    expect(body).not.toContain('data-testid="priority"');
    expect(body).not.toContain('data-testid="unscored"');
  });

  it('shows no chip for other intents and a badge from priority 60', () => {
    expect(html({ intent: 'other' })).not.toContain('data-testid="intent"');
    expect(html({ priority: 59.4 })).not.toContain('data-testid="priority"');
    const body = html({ priority: 72 });
    expect(body).toMatch(/data-testid="priority"[^>]*>P72</);
    expect(body).toContain('Triage priority 72 of 100');
  });

  it('marks mentions in languages the engine does not score as unscored, not neutral', () => {
    const body = html({ sentiment: { score: 0, label: 'neutral', unscored: true } });
    expect(body).toContain('data-sentiment="unscored"');
    expect(body).toMatch(
      /data-testid="unscored"[^>]*title="Language not scored[^"]*"[^>]*>unscored</
    );
    expect(body).not.toContain('>Neutral<');
    expect(html({ sentiment: { score: 0, label: 'neutral' } })).toContain('>Neutral<');
  });
});
