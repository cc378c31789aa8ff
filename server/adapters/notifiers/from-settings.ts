import { z } from 'zod';
import type { LeveledNotifier } from './from-env';
import { createEmailNotifier } from './email';
import { createSlackNotifier } from './slack';
import { createTeamsNotifier } from './teams';
import { createWebhookNotifier } from './webhook';

/** What GET /api/v1/settings shows instead of a stored secret; sent back, it keeps the secret. */
export const MASKED = '••••••••';

const id = z
  .string({ error: 'id is required' })
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'id must be lower-case letters, digits and dashes');
const name = z.string({ error: 'name is required' }).trim().min(1).max(80);
const level = z
  .number({ error: 'level must be a number' })
  .int('level must be a whole number')
  .min(0, 'level must be 0 to 5')
  .max(5, 'level must be 0 to 5')
  .default(0);
const httpUrl = z.url({
  protocol: /^https?$/,
  error: 'url must be an absolute http:// or https:// URL'
});
const email = z.email({ error: 'must be an e-mail address' });

/** One notification channel set in the settings page (besides the NOTIFY_* environment ones). */
export const channelSettingSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      id,
      kind: z.literal('webhook'),
      name,
      url: httpUrl,
      secret: z
        .string()
        .min(16, 'secret must be at least 16 characters')
        .max(200)
        .nullable()
        .default(null),
      level
    }),
    z.strictObject({ id, kind: z.literal('slack'), name, url: httpUrl, level }),
    z.strictObject({ id, kind: z.literal('teams'), name, url: httpUrl, level }),
    z.strictObject({
      id,
      kind: z.literal('email'),
      name,
      host: z.string().trim().min(1, 'host is required').max(200),
      port: z.number().int().min(1).max(65535).default(587),
      secure: z.boolean().default(false),
      user: z.string().max(200).nullable().default(null),
      password: z.string().max(200).nullable().default(null),
      from: email,
      to: z.array(email).min(1, 'to needs at least one address').max(50),
      level
    })
  ],
  { error: 'kind must be webhook, slack, teams or email' }
);
export type ChannelSetting = z.infer<typeof channelSettingSchema>;

export const notificationSettingsSchema = z
  .strictObject({ channels: z.array(channelSettingSchema).max(20, 'at most 20 channels') })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.channels.forEach((c, i) => {
      if (seen.has(c.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['channels', i, 'id'],
          message: `id ${c.id} is used twice`
        });
      }
      seen.add(c.id);
    });
  });
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;

/** The settings with secrets (webhook secrets, SMTP passwords, URL credentials) masked. */
export function maskedNotificationSettings(s: NotificationSettings): NotificationSettings {
  return {
    channels: s.channels.map((c) => {
      if (c.kind === 'webhook') return { ...c, secret: c.secret === null ? null : MASKED };
      if (c.kind === 'email') return { ...c, password: c.password === null ? null : MASKED };
      return c;
    })
  };
}

/** Puts back stored secrets where a client sent the mask. */
export function unmaskNotificationSettings(
  input: NotificationSettings,
  stored: NotificationSettings
): NotificationSettings {
  const before = new Map(stored.channels.map((c) => [c.id, c]));
  return {
    channels: input.channels.map((c) => {
      const old = before.get(c.id);
      if (c.kind === 'webhook' && c.secret === MASKED) {
        return { ...c, secret: old?.kind === 'webhook' ? old.secret : null };
      }
      if (c.kind === 'email' && c.password === MASKED) {
        return { ...c, password: old?.kind === 'email' ? old.password : null };
      }
      return c;
    })
  };
}

/** Builds the channels of the settings (ids prefixed `settings-` so they never clash). */
export function notifiersFromSettings(s: NotificationSettings): LeveledNotifier[] {
  return s.channels.map((c) => {
    const cid = `settings-${c.id}`;
    switch (c.kind) {
      case 'webhook':
        return {
          notifier: createWebhookNotifier({ id: cid, url: c.url, secret: c.secret }),
          level: c.level
        };
      case 'slack':
        return { notifier: createSlackNotifier({ id: cid, url: c.url }), level: c.level };
      case 'teams':
        return { notifier: createTeamsNotifier({ id: cid, url: c.url }), level: c.level };
      case 'email':
        return {
          notifier: createEmailNotifier({
            id: cid,
            host: c.host,
            port: c.port,
            secure: c.secure,
            auth: c.user ? { user: c.user, pass: c.password ?? '' } : null,
            from: c.from,
            to: c.to
          }),
          level: c.level
        };
    }
  });
}
