import type { Logger } from 'pino';
import { z } from 'zod';
import {
  sourcesSchema,
  trackingSchema,
  type SourcesConfig,
  type Tracking
} from '../../core/tracking';
import {
  maskedNotificationSettings,
  notificationSettingsSchema,
  unmaskNotificationSettings,
  type NotificationSettings
} from '../notifiers/from-settings';
import type { SettingsResult, SettingsSection } from '../../http/settings';
import type { Clock, Store } from '../../ports';

/** How long raw mentions and minute rollups are kept. */
export const retentionSchema = z
  .strictObject({
    mentionsDays: z
      .number({ error: 'mentionsDays must be a number' })
      .int('mentionsDays must be a whole number')
      .min(1, 'mentionsDays must be at least 1')
      .max(3650, 'mentionsDays must be at most 3650'),
    rollupsDays: z
      .number({ error: 'rollupsDays must be a number' })
      .int('rollupsDays must be a whole number')
      .min(1, 'rollupsDays must be at least 1')
      .max(3650, 'rollupsDays must be at most 3650')
  })
  .refine((r) => r.rollupsDays >= r.mentionsDays, {
    path: ['rollupsDays'],
    message: 'rollupsDays must be at least mentionsDays (charts outlive raw mentions)'
  });
export type Retention = z.infer<typeof retentionSchema>;
export const DEFAULT_RETENTION: Retention = { mentionsDays: 90, rollupsDays: 730 };

/** How a saved section takes effect in the running server. */
export interface SettingsApply {
  tracking(t: Tracking): Promise<void>;
  sources(s: SourcesConfig): Promise<void>;
  notifications(n: NotificationSettings): void;
}

const errorsOf = (e: z.ZodError): { path: string; message: string }[] =>
  e.issues.map((i) => ({
    path:
      i.code === 'unrecognized_keys'
        ? [...i.path.map(String), i.keys[0] ?? ''].filter(Boolean).join('.')
        : i.path.map(String).join('.') || 'body',
    message: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message
  }));

/** Short description of what changed between two documents, for the audit log. */
function changed(before: unknown, after: unknown): string {
  if (
    typeof before !== 'object' ||
    before === null ||
    typeof after !== 'object' ||
    after === null
  ) {
    return 'replaced';
  }
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    (k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])
  );
  return keys.length ? `changed ${keys.join(', ')}` : 'no change';
}

/**
 * The settings the administration page edits, stored as SQLite settings documents and applied
 * to the running server when saved: tracking (brand, keywords, competitors, topics), the
 * connectors, notification channels (secrets masked when read back) and retention.
 */
export class SettingsService {
  private notificationsDoc: NotificationSettings;
  private retentionDoc: Retention;

  constructor(
    private readonly o: {
      store: Store;
      clock: Clock;
      logger: Logger;
      tracking: () => Tracking;
      sources: () => SourcesConfig;
      apply: SettingsApply;
    }
  ) {
    const n = notificationSettingsSchema.safeParse(
      o.store.getSetting('notifications') ?? { channels: [] }
    );
    this.notificationsDoc = n.success ? n.data : { channels: [] };
    const r = retentionSchema.safeParse(o.store.getSetting('retention') ?? DEFAULT_RETENTION);
    this.retentionDoc = r.success ? r.data : DEFAULT_RETENTION;
    if (!n.success || !r.success) o.logger.warn('stored settings are invalid; using defaults');
  }

  get notifications(): NotificationSettings {
    return this.notificationsDoc;
  }

  get retention(): Retention {
    return this.retentionDoc;
  }

  get(): Record<SettingsSection, unknown> {
    return {
      tracking: this.o.tracking(),
      sources: this.o.sources(),
      notifications: maskedNotificationSettings(this.notificationsDoc),
      retention: this.retentionDoc
    };
  }

  async put(section: SettingsSection, input: unknown): Promise<SettingsResult> {
    const now = this.o.clock.now();
    switch (section) {
      case 'tracking': {
        const r = trackingSchema.safeParse(input);
        if (!r.success) return { ok: false, errors: errorsOf(r.error) };
        const detail = changed(this.o.tracking(), r.data);
        await this.o.store.putSetting('tracking', r.data, now);
        await this.o.apply.tracking(r.data);
        return { ok: true, value: this.o.tracking(), detail };
      }
      case 'sources': {
        const r = sourcesSchema.safeParse(input);
        if (!r.success) return { ok: false, errors: errorsOf(r.error) };
        const detail = changed(this.o.sources(), r.data);
        await this.o.store.putSetting('sources', r.data, now);
        await this.o.apply.sources(r.data);
        return { ok: true, value: r.data, detail };
      }
      case 'notifications': {
        const r = notificationSettingsSchema.safeParse(input);
        if (!r.success) return { ok: false, errors: errorsOf(r.error) };
        const doc = unmaskNotificationSettings(r.data, this.notificationsDoc);
        const detail = `channels: ${doc.channels.map((c) => `${c.id} (${c.kind})`).join(', ') || 'none'}`;
        try {
          this.o.apply.notifications(doc);
        } catch (err) {
          return { ok: false, errors: [{ path: 'channels', message: (err as Error).message }] };
        }
        await this.o.store.putSetting('notifications', doc, now);
        this.notificationsDoc = doc;
        return { ok: true, value: maskedNotificationSettings(doc), detail };
      }
      case 'retention': {
        const r = retentionSchema.safeParse(input);
        if (!r.success) return { ok: false, errors: errorsOf(r.error) };
        const detail = changed(this.retentionDoc, r.data);
        await this.o.store.putSetting('retention', r.data, now);
        this.retentionDoc = r.data;
        return { ok: true, value: r.data, detail };
      }
    }
  }
}
