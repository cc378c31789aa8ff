import { ConfigError } from '../../config';
import type { Notifier } from './types';
import { createEmailNotifier } from './email';
import { createSlackNotifier } from './slack';
import { createTeamsNotifier } from './teams';
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

/** A configured notification channel and the contact level it belongs to. */
export interface LeveledNotifier {
  notifier: Notifier;
  /**
   * Contact level: 0 is told of every alert; a channel at level N only once an unacknowledged
   * alert has escalated to level N (then it is told of everything about that alert).
   */
  level: number;
}

function level(env: Record<string, string | undefined>, name: string, problems: string[]): number {
  const raw = env[name]?.trim();
  if (!raw) return 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 5) {
    problems.push(`  ${name}: must be a whole number from 0 to 5`);
    return 0;
  }
  return n;
}

function httpUrl(
  env: Record<string, string | undefined>,
  name: string,
  problems: string[]
): string | null {
  const raw = env[name]?.trim() ?? '';
  if (raw === '') return null;
  try {
    const u = new URL(raw);
    if (u.protocol === 'http:' || u.protocol === 'https:') return raw;
    problems.push(`  ${name}: must be an http:// or https:// URL, got ${u.protocol}//…`);
  } catch {
    problems.push(`  ${name}: must be an absolute http:// or https:// URL`);
  }
  return null;
}

/**
 * Every notification channel configured in the environment, with its contact level:
 * - generic webhook: NOTIFY_WEBHOOK_URL, NOTIFY_WEBHOOK_SECRET, NOTIFY_WEBHOOK_LEVEL;
 * - Slack incoming webhook: NOTIFY_SLACK_URL, NOTIFY_SLACK_LEVEL;
 * - Microsoft Teams incoming webhook: NOTIFY_TEAMS_URL, NOTIFY_TEAMS_LEVEL;
 * - e-mail: NOTIFY_SMTP_URL (`smtp://user:pass@host:587`, or `smtps://` for TLS from the first
 *   byte), NOTIFY_EMAIL_FROM, NOTIFY_EMAIL_TO (comma-separated), NOTIFY_EMAIL_LEVEL.
 * Throws one ConfigError naming every invalid variable; URLs and passwords are never echoed.
 */
export function notifiersFromEnv(
  env: Record<string, string | undefined>,
  opts: { timeoutMs?: number; fetch?: FetchLike } = {}
): LeveledNotifier[] {
  const problems: string[] = [];
  const out: LeveledNotifier[] = [];
  let webhook: Notifier | null = null;
  try {
    webhook = webhookFromEnv(env, opts);
  } catch (err) {
    problems.push(...(err as Error).message.split('\n').slice(1));
  }
  if (webhook) out.push({ notifier: webhook, level: level(env, 'NOTIFY_WEBHOOK_LEVEL', problems) });
  const slack = httpUrl(env, 'NOTIFY_SLACK_URL', problems);
  if (slack) {
    out.push({
      notifier: createSlackNotifier({ url: slack, ...opts }),
      level: level(env, 'NOTIFY_SLACK_LEVEL', problems)
    });
  }
  const teams = httpUrl(env, 'NOTIFY_TEAMS_URL', problems);
  if (teams) {
    out.push({
      notifier: createTeamsNotifier({ url: teams, ...opts }),
      level: level(env, 'NOTIFY_TEAMS_LEVEL', problems)
    });
  }
  const smtp = env.NOTIFY_SMTP_URL?.trim() ?? '';
  if (smtp !== '') {
    let u: URL | null = null;
    try {
      u = new URL(smtp);
    } catch {
      problems.push('  NOTIFY_SMTP_URL: must be smtp://[user:pass@]host[:port] or smtps://…');
    }
    const from = env.NOTIFY_EMAIL_FROM?.trim() ?? '';
    const to = (env.NOTIFY_EMAIL_TO ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (u && u.protocol !== 'smtp:' && u.protocol !== 'smtps:') {
      problems.push(`  NOTIFY_SMTP_URL: must be smtp:// or smtps://, got ${u.protocol}//…`);
    }
    if (!/^[^@\s]+@[^@\s]+$|<[^@\s<>]+@[^@\s<>]+>$/.test(from)) {
      problems.push('  NOTIFY_EMAIL_FROM: must be an e-mail address (set with NOTIFY_SMTP_URL)');
    }
    if (to.length === 0 || !to.every((a) => /^[^@\s]+@[^@\s]+$/.test(a))) {
      problems.push('  NOTIFY_EMAIL_TO: must be one or more comma-separated e-mail addresses');
    }
    const lvl = level(env, 'NOTIFY_EMAIL_LEVEL', problems);
    if (u && (u.protocol === 'smtp:' || u.protocol === 'smtps:') && problems.length === 0) {
      const secure = u.protocol === 'smtps:';
      out.push({
        notifier: createEmailNotifier({
          host: u.hostname,
          port: u.port ? Number(u.port) : secure ? 465 : 587,
          secure,
          auth: u.username
            ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) }
            : null,
          from,
          to,
          ...(opts.timeoutMs !== undefined && { timeoutMs: opts.timeoutMs })
        }),
        level: lvl
      });
    }
  } else {
    for (const name of ['NOTIFY_EMAIL_FROM', 'NOTIFY_EMAIL_TO']) {
      if (env[name]?.trim()) problems.push(`  ${name}: is set but NOTIFY_SMTP_URL is not`);
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  return out;
}
