import {
  cleanSamples,
  comparisonText,
  driversText,
  escapeSlack,
  formatTime,
  notificationTitle,
  oneLine,
  safeHttpUrl,
  summaryLine
} from './format';
import type { NotificationMessage, Notifier } from './types';
import { postJson, type HttpChannelOptions } from './webhook';

/** One Slack Block Kit block, as far as these payloads use it. */
export type SlackBlock = Record<string, unknown> & { type: string };

/** A Slack incoming-webhook payload: `text` is the fallback shown in notifications. */
export interface SlackPayload {
  text: string;
  blocks: SlackBlock[];
}

const clip = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/**
 * The Slack payload of a message: a plain-text header (the title, "[DRILL]" first for a
 * drill), the comparison and drivers in mrkdwn, samples as context lines, and a button into
 * the drill-down. Untrusted text is escaped with Slack's `&`, `<`, `>` rule.
 */
export function slackPayload(msg: NotificationMessage): SlackPayload {
  const blocks: SlackBlock[] = [
    // Header text is plain_text (never parsed) and limited to 150 characters.
    { type: 'header', text: { type: 'plain_text', text: clip(notificationTitle(msg), 150) } }
  ];
  const lines: string[] = [];
  const cmp = comparisonText(msg);
  if (cmp) lines.push(`*Observed:* ${escapeSlack(cmp)}`);
  const drivers = driversText(msg);
  if (drivers) lines.push(`*Drivers:* ${escapeSlack(drivers)}`);
  lines.push(
    `*State:* ${escapeSlack(oneLine(msg.state, 40))} · ${msg.severity} · ${formatTime(msg.at)}`
  );
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(lines.join('\n'), 3000) } });
  const samples = cleanSamples(msg);
  if (samples.length > 0) {
    blocks.push({
      type: 'context',
      elements: samples.map((s) => ({
        type: 'mrkdwn',
        text: clip(
          `*${escapeSlack(s.author)}*: ${escapeSlack(s.text)}${s.url ? ` <${s.url.replace(/[|<>]/g, encodeURIComponent)}|open>` : ''}`,
          2000
        )
      }))
    });
  }
  const link = safeHttpUrl(msg.link);
  if (link) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open drill-down' },
          url: link,
          style: msg.severity === 'critical' && !msg.drill ? 'danger' : 'primary'
        }
      ]
    });
  }
  return { text: clip(escapeSlack(summaryLine(msg)), 3000), blocks };
}

/** A Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat accept `text`). */
export function createSlackNotifier(opts: HttpChannelOptions): Notifier {
  return {
    id: opts.id ?? 'slack',
    kind: 'slack',
    send(msg, signal) {
      return postJson(
        opts.url,
        JSON.stringify(slackPayload(msg)),
        {},
        {
          timeoutMs: opts.timeoutMs,
          fetch: opts.fetch,
          signal
        }
      );
    }
  };
}
