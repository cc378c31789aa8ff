import nodemailer, { type Transporter } from 'nodemailer';
import { notificationTitle, renderHtml, renderText } from './format';
import type { NotificationMessage, Notifier, SendResult } from './types';

/** Settings of the SMTP channel. */
export interface EmailOptions {
  /** Channel id; defaults to 'email'. */
  id?: string;
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure?: boolean;
  /** Refuse to send unless STARTTLS succeeds. */
  requireTLS?: boolean;
  /** Never upgrade with STARTTLS (local test servers only). */
  ignoreTLS?: boolean;
  auth?: { user: string; pass: string } | null;
  /** Sender address, e.g. `"Mission Control" <alerts@example.com>`. */
  from: string;
  to: string | string[];
  /** Time limit of connecting, of the greeting and of socket silence, ms (default 10 s). */
  timeoutMs?: number;
}

/** Subject, plain text and HTML of the email of a message. */
export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

/** The email of a message: subject = title ("[DRILL]" first for a drill), text + HTML parts. */
export function emailContent(msg: NotificationMessage): EmailContent {
  return { subject: notificationTitle(msg), text: renderText(msg), html: renderHtml(msg) };
}

/** Nodemailer error codes that mean the next attempt will fail the same way. */
const PERMANENT_CODES = new Set([
  'EAUTH',
  'ENOAUTH',
  'EOAUTH2',
  'ECONFIG',
  'EENVELOPE',
  'EMESSAGE',
  'EREQUIRETLS',
  'EMAXRECIPIENTS'
]);

/**
 * Classifies a Nodemailer error: an SMTP reply is permanent when 5xx (except 503) and
 * transient when 4xx; without a reply, configuration, authentication and envelope errors are
 * permanent, connection, DNS, TLS and timeout errors transient.
 */
export function classifyMailError(err: unknown): SendResult {
  const e = (err ?? {}) as {
    message?: string;
    code?: string;
    responseCode?: number;
    permanent?: boolean;
  };
  const message = String(e.message ?? err)
    .replace(/\s+/g, ' ')
    .slice(0, 300);
  const base = `SMTP ${e.code ?? 'error'}${e.responseCode ? ` ${e.responseCode}` : ''}: ${message}`;
  let retryable: boolean;
  if (typeof e.responseCode === 'number') {
    retryable =
      typeof e.permanent === 'boolean'
        ? !e.permanent
        : !(e.responseCode >= 500 && e.responseCode < 600 && e.responseCode !== 503);
  } else retryable = !PERMANENT_CODES.has(e.code ?? '');
  const result: SendResult = { ok: false, retryable, error: base };
  if (typeof e.responseCode === 'number') result.status = e.responseCode;
  return result;
}

/**
 * Email through SMTP with Nodemailer: one transport per channel (a connection per message, so
 * nothing stays open between alerts). `close()` releases the transport.
 */
export function createEmailNotifier(opts: EmailOptions): Notifier {
  const timeout = opts.timeoutMs ?? 10_000;
  const transport: Transporter = nodemailer.createTransport({
    host: opts.host,
    port: opts.port,
    secure: opts.secure ?? false,
    requireTLS: opts.requireTLS ?? false,
    ignoreTLS: opts.ignoreTLS ?? false,
    auth: opts.auth ?? undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout
  });
  return {
    id: opts.id ?? 'email',
    kind: 'email',
    async send(msg, signal) {
      const content = emailContent(msg);
      try {
        const info = (await transport.sendMail({
          from: opts.from,
          to: opts.to,
          subject: content.subject,
          text: content.text,
          html: content.html,
          priority: msg.severity === 'critical' && !msg.drill ? 'high' : 'normal',
          headers: { 'X-Mission-Control-Alert': msg.alertId.replace(/[^\w.:-]/g, '_') },
          ...(signal ? { signal } : {})
        })) as { rejected?: unknown[] };
        if (Array.isArray(info.rejected) && info.rejected.length > 0) {
          return {
            ok: false,
            retryable: false,
            error: `SMTP rejected ${info.rejected.length} recipient(s)`
          };
        }
        return { ok: true };
      } catch (err) {
        return classifyMailError(err);
      }
    },
    close() {
      transport.close();
    }
  };
}
