import { describe, expect, it } from 'vitest';
import { notifiersFromEnv } from '../../server/adapters/notifiers/from-env';
import { loadConfig } from '../../server/config';

describe('notification channels from the environment', () => {
  it('builds every configured channel with its contact level', () => {
    const channels = notifiersFromEnv({
      NOTIFY_WEBHOOK_URL: 'https://hooks.example.com/mc',
      NOTIFY_WEBHOOK_SECRET: 'a-long-enough-secret',
      NOTIFY_SLACK_URL: 'https://hooks.slack.com/services/T/B/X',
      NOTIFY_TEAMS_URL: 'https://example.webhook.office.com/x',
      NOTIFY_TEAMS_LEVEL: '1',
      NOTIFY_SMTP_URL: 'smtp://ops:p%40ss@mail.example.com:2525',
      NOTIFY_EMAIL_FROM: 'Mission Control <alerts@example.com>',
      NOTIFY_EMAIL_TO: 'oncall@example.com, lead@example.com',
      NOTIFY_EMAIL_LEVEL: '2'
    });
    expect(channels.map((c) => [c.notifier.id, c.notifier.kind, c.level])).toEqual([
      ['webhook', 'webhook', 0],
      ['slack', 'slack', 0],
      ['teams', 'teams', 1],
      ['email', 'email', 2]
    ]);
    expect(notifiersFromEnv({})).toEqual([]);
  });

  it.each([
    [{ NOTIFY_SLACK_URL: 'ftp://x' }, 'NOTIFY_SLACK_URL'],
    [{ NOTIFY_TEAMS_URL: 'not a url' }, 'NOTIFY_TEAMS_URL'],
    [
      { NOTIFY_WEBHOOK_URL: 'https://x.example', NOTIFY_WEBHOOK_LEVEL: 'high' },
      'NOTIFY_WEBHOOK_LEVEL'
    ],
    [
      { NOTIFY_SMTP_URL: 'http://mail', NOTIFY_EMAIL_FROM: 'a@b.c', NOTIFY_EMAIL_TO: 'x@y.z' },
      'NOTIFY_SMTP_URL'
    ],
    [{ NOTIFY_SMTP_URL: 'smtp://mail', NOTIFY_EMAIL_TO: 'x@y.z' }, 'NOTIFY_EMAIL_FROM'],
    [
      { NOTIFY_SMTP_URL: 'smtp://mail', NOTIFY_EMAIL_FROM: 'a@b.c', NOTIFY_EMAIL_TO: 'nobody' },
      'NOTIFY_EMAIL_TO'
    ],
    [{ NOTIFY_EMAIL_TO: 'x@y.z' }, 'NOTIFY_EMAIL_TO: is set but NOTIFY_SMTP_URL is not'],
    [{ NOTIFY_WEBHOOK_SECRET: 'a-long-enough-secret' }, 'NOTIFY_WEBHOOK_SECRET']
  ])('refuses %o, naming the variable', (env, name) => {
    expect(() => notifiersFromEnv(env)).toThrow(name);
  });

  it('never echoes a URL or a password in an error', () => {
    try {
      notifiersFromEnv({
        NOTIFY_SLACK_URL: 'gopher://secret-token@example',
        NOTIFY_SMTP_URL: 'smtp://u:hunter2@mail',
        NOTIFY_EMAIL_TO: 'x@y.z'
      });
      expect.unreachable();
    } catch (err) {
      const msg = (err as Error).message;
      expect(msg).not.toContain('secret-token');
      expect(msg).not.toContain('hunter2');
      expect(msg).toContain('NOTIFY_EMAIL_FROM');
    }
  });

  it('stops the start when a channel is misconfigured', () => {
    expect(() => loadConfig({ NOTIFY_TEAMS_URL: 'nope' })).toThrow('NOTIFY_TEAMS_URL');
    expect(loadConfig({ NOTIFY_SLACK_URL: 'https://hooks.slack.com/x' }).notify).toEqual({
      NOTIFY_SLACK_URL: 'https://hooks.slack.com/x'
    });
  });
});
