import { ConfigError } from '../../config';
import type { Notifier } from './types';
import { createWebhookNotifier, type FetchLike } from './webhook';

/** The default webhook channel's settings, read from the environment. */
export interface NotifyWebhookEnv {
  url: string;
  secret: string | null;
}

/** Shortest NOTIFY_WEBHOOK_SECRET accepted (as for INGEST_HMAC_SECRET). */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

/**
 * Reads NOTIFY_WEBHOOK_URL and NOTIFY_WEBHOOK_SECRET: null when the URL is unset or empty.
 * Throws a ConfigError naming the variable when the URL is not an absolute http(s) URL, when
 * the secret is too short, or when a secret is set without a URL. The URL itself is never
 * echoed (webhook URLs often carry a token), only its scheme.
 */
export function parseNotifyEnv(env: Record<string, string | undefined>): NotifyWebhookEnv | null {
  const url = env.NOTIFY_WEBHOOK_URL?.trim() ?? '';
  const secret = env.NOTIFY_WEBHOOK_SECRET ?? '';
  const problems: string[] = [];
  if (url === '') {
    if (secret !== '') {
      problems.push('  NOTIFY_WEBHOOK_SECRET: is set but NOTIFY_WEBHOOK_URL is not');
    }
  } else {
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      problems.push('  NOTIFY_WEBHOOK_URL: must be an absolute http:// or https:// URL');
    }
    if (parsed && parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      problems.push(
        `  NOTIFY_WEBHOOK_URL: must be an http:// or https:// URL, got ${parsed.protocol}//…`
      );
    }
    if (secret !== '' && secret.length < MIN_WEBHOOK_SECRET_LENGTH) {
      problems.push(
        `  NOTIFY_WEBHOOK_SECRET: must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters`
      );
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  return url === '' ? null : { url, secret: secret === '' ? null : secret };
}

/**
 * The default webhook channel (id 'webhook') from NOTIFY_WEBHOOK_URL / NOTIFY_WEBHOOK_SECRET,
 * or null when NOTIFY_WEBHOOK_URL is unset. Throws a ConfigError as `parseNotifyEnv` does.
 */
export function webhookFromEnv(
  env: Record<string, string | undefined>,
  opts: { timeoutMs?: number; fetch?: FetchLike } = {}
): Notifier | null {
  const cfg = parseNotifyEnv(env);
  if (cfg === null) return null;
  return createWebhookNotifier({ id: 'webhook', url: cfg.url, secret: cfg.secret, ...opts });
}
