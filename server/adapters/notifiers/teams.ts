import {
  cleanSamples,
  comparisonText,
  driversText,
  escapeMarkdown,
  formatTime,
  notificationTitle,
  oneLine,
  safeHttpUrl,
  summaryLine
} from './format';
import type { NotificationMessage, Notifier, SendResult } from './types';
import { isRetryableStatus, postJson, type HttpChannelOptions } from './webhook';

/** One Adaptive Card element, as far as these payloads use it. */
export type CardElement = Record<string, unknown> & { type: string };

/**
 * A Teams incoming-webhook payload: a message with one Adaptive Card attachment (accepted by
 * Teams Workflows webhooks and by the older Office 365 connectors).
 */
export interface TeamsPayload {
  type: 'message';
  /** Fallback text for clients that show no card. */
  summary: string;
  attachments: {
    contentType: 'application/vnd.microsoft.card.adaptive';
    contentUrl: null;
    content: {
      $schema: string;
      type: 'AdaptiveCard';
      version: string;
      msteams: { width: 'Full' };
      body: CardElement[];
      actions: CardElement[];
    };
  }[];
}

/**
 * The Teams payload of a message: an Adaptive Card with the title ("[DRILL]" first for a
 * drill), facts (observed vs expected, drivers, state), sample mentions and an "Open
 * drill-down" action. Untrusted text is Markdown-escaped (cards render a Markdown subset).
 */
export function teamsPayload(msg: NotificationMessage): TeamsPayload {
  const md = escapeMarkdown;
  const facts: { title: string; value: string }[] = [];
  const cmp = comparisonText(msg);
  if (cmp) facts.push({ title: 'Observed', value: md(cmp) });
  const drivers = driversText(msg);
  if (drivers) facts.push({ title: 'Drivers', value: md(drivers) });
  facts.push(
    { title: 'State', value: `${md(oneLine(msg.state, 40))} · ${msg.severity}` },
    { title: 'When', value: formatTime(msg.at) }
  );
  const body: CardElement[] = [
    {
      type: 'TextBlock',
      text: md(notificationTitle(msg)),
      weight: 'Bolder',
      size: 'Medium',
      wrap: true,
      color:
        msg.severity === 'critical'
          ? 'Attention'
          : msg.severity === 'warning'
            ? 'Warning'
            : 'Accent'
    }
  ];
  if (msg.drill) {
    body.push({
      type: 'TextBlock',
      text: 'DRILL: this is a fire drill.',
      wrap: true,
      isSubtle: true
    });
  }
  body.push({ type: 'FactSet', facts });
  const samples = cleanSamples(msg);
  if (samples.length > 0) {
    body.push({ type: 'TextBlock', text: 'Sample mentions', weight: 'Bolder', wrap: true });
    for (const s of samples) {
      body.push({
        type: 'TextBlock',
        text: `**${md(s.author)}**: ${md(s.text)}${s.url ? ` [open](${s.url.replace(/\(/g, '%28').replace(/\)/g, '%29')})` : ''}`,
        wrap: true,
        spacing: 'Small'
      });
    }
  }
  const link = safeHttpUrl(msg.link);
  const actions: CardElement[] = link
    ? [{ type: 'Action.OpenUrl', title: 'Open drill-down', url: link }]
    : [];
  return {
    type: 'message',
    summary: summaryLine(msg),
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body,
          actions
        }
      }
    ]
  };
}

/**
 * Office 365 connectors answer 200 with an error in the text ("Microsoft Teams endpoint
 * returned HTTP error 429 …"); such an answer is a failure with that status.
 */
export function inspectTeamsAnswer(status: number, text: string): SendResult | null {
  const m = /HTTP error (\d{3})/i.exec(text);
  if (!m) return null;
  const inner = Number(m[1]);
  return {
    ok: false,
    retryable: isRetryableStatus(inner),
    status: inner,
    error: `Teams answered ${status} with: ${text.replace(/\s+/g, ' ').trim().slice(0, 200)}`
  };
}

/** A Microsoft Teams-compatible incoming webhook (Workflows or Office 365 connector). */
export function createTeamsNotifier(opts: HttpChannelOptions): Notifier {
  return {
    id: opts.id ?? 'teams',
    kind: 'teams',
    send(msg, signal) {
      return postJson(
        opts.url,
        JSON.stringify(teamsPayload(msg)),
        {},
        {
          timeoutMs: opts.timeoutMs,
          fetch: opts.fetch,
          signal,
          inspect: inspectTeamsAnswer
        }
      );
    }
  };
}
