import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import TopTopicsPanel from '../../../src/lib/components/wall/TopTopicsPanel.svelte';
import type { TopTopics } from '../../../src/lib/shared/types';

function html(topics: TopTopics | null): string {
  return render(TopTopicsPanel, { props: { topics } }).body;
}

const count = (s: string, needle: string): number => s.split(needle).length - 1;

describe('TopTopicsPanel', () => {
  it('shows configured topics as bars and emerging terms, at most six each', () => {
    const body = html({
      windowMs: 900_000,
      configured: Array.from({ length: 8 }, (_, i) => ({ name: `Topic ${i}`, count: 80 - i * 10 })),
      emerging: Array.from({ length: 9 }, (_, i) => ({
        term: `term ${i}`,
        count: 20 - i,
        growth: i === 0 ? 2.5 : 1.2,
        spike: i === 1
      }))
    });
    expect(body).toContain('data-testid="top-topics"');
    expect(body).toContain('Top topics');
    expect(body).toContain('last 15 min');
    expect(count(body, 'data-testid="topic-row"')).toBe(6);
    expect(count(body, 'data-testid="emerging-row"')).toBe(6);
    expect(body).toContain('width: 100%');
    expect(body).toContain('width: 50%');
    expect(count(body, 'data-rising="true"')).toBe(1);
    expect(count(body, 'data-spike="true"')).toBe(1);
    expect(count(body, 'class="spike')).toBe(1);
    expect(body).toContain('Rising: 2.5× as frequent in the last 4 min as over the last 15 min');
  });

  it('says so when nothing is mentioned or emerging, and "No data yet" before a snapshot', () => {
    const empty = html({
      windowMs: 900_000,
      configured: [{ name: 'Pricing', count: 0 }],
      emerging: []
    });
    expect(empty).toContain('No topic mentions in the last 15 min');
    expect(empty).toContain('Nothing emerging yet');
    expect(empty).not.toContain('data-testid="topic-row"');
    expect(html(null)).toContain('No data yet');
  });

  it('renders terms from the internet as text, and repeats once', () => {
    const body = html({
      windowMs: 3_600_000,
      configured: [],
      emerging: [
        { term: '<img src=x onerror=alert(1)>', count: 3, growth: 1, spike: false },
        { term: '<img src=x onerror=alert(1)>', count: 2, growth: 1, spike: false }
      ]
    });
    expect(body).not.toContain('<img');
    expect(body).toContain('&lt;img src=x onerror=alert(1)>');
    expect(count(body, 'data-testid="emerging-row"')).toBe(1);
    expect(body).toContain('last 1 h');
  });
});
