import { describe, expect, it } from 'vitest';
import { withParams } from '../../../src/lib/explore/url';
import { drillDownLink } from '../../../server/core/alerts/engine';
import type { Alert } from '../../../server/core/alerts/lifecycle';

describe('drill-down URLs', () => {
  it('sets, replaces and removes parameters, keeping the others', () => {
    const p = new URLSearchParams('from=1&to=2&channel=reddit&alert=a1');
    expect(withParams(p, { channel: 'news', q: 'melted' })).toBe(
      'from=1&to=2&channel=news&alert=a1&q=melted'
    );
    expect(withParams(p, { channel: '', alert: '' })).toBe('from=1&to=2');
  });

  const alert = (scopeKey: string, over: Partial<Alert> = {}) =>
    ({
      id: 'a/1',
      scopeKey,
      startedAt: 1_000_000,
      lastTriggeredAt: 1_200_000,
      resolvedAt: null,
      ...over
    }) as Alert;

  it.each([
    ['all', ''],
    ['channel:reddit', '&channel=reddit'],
    ['topic:Late delivery', '&topic=Late+delivery'],
    ['sentiment:negative', '&sentiment=negative'],
    ['term:data breach', '&q=data+breach'],
    ['negative-share', '&sentiment=negative'],
    ['author:@star', '']
  ])('opens the window and scope of an alert on %s', (scope, extra) => {
    expect(drillDownLink(alert(scope))).toBe(`/explore?from=100000&to=2100000${extra}&alert=a%2F1`);
  });

  it('ends the window 15 minutes after a resolved alert', () => {
    expect(drillDownLink(alert('all', { resolvedAt: 5_000_000 }))).toContain('to=5900000');
  });
});
