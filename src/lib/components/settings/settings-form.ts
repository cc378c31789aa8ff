/** Shapes of the admin API (see the access-control contract) and small form helpers. */
import type { Role } from '$lib/auth/session.svelte';

/** A timestamp as the API sends it: epoch ms or an ISO string; null when never. */
export type Stamp = number | string | null;

export interface UserRow {
  username: string;
  role: Role;
  createdAt: Stamp;
  lastLoginAt: Stamp;
  disabled: boolean;
}

export const TOKEN_SCOPES = ['ingest', 'read', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export interface ApiTokenRow {
  id: string;
  name: string;
  scopes: TokenScope[];
  createdAt: Stamp;
  createdBy: string | null;
  lastUsedAt: Stamp;
  revokedAt: Stamp;
}

export interface DisplayRow {
  id: string;
  name: string;
  scene: string | null;
  privacy: boolean;
  createdAt: Stamp;
  createdBy: string | null;
  lastUsedAt: Stamp;
  revokedAt: Stamp;
}

export const CHANNEL_KINDS = ['webhook', 'slack', 'teams', 'email'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export interface Channel {
  id: string;
  kind: ChannelKind;
  name: string;
  url?: string;
  /** Webhook signing secret; the server sends it back masked. */
  secret?: string | null;
  /** E-mail: SMTP server, sender and recipients (comma-separated in the form, a list on the wire). */
  host?: string;
  port?: number;
  secure?: boolean;
  user?: string | null;
  password?: string | null;
  from?: string;
  to?: string | string[];
  level: number;
}

/**
 * Contact levels: a channel at level 0 hears of every alert; at level N only of alerts that
 * stayed unacknowledged long enough to escalate to level N (then of everything about them).
 */
export const LEVELS: { value: number; label: string }[] = [
  { value: 0, label: '0 · every alert' },
  { value: 1, label: '1 · after the first escalation' },
  { value: 2, label: '2 · after the second escalation' },
  { value: 3, label: '3 · after the third escalation' }
];

export interface Retention {
  mentionsDays: number;
  rollupsDays: number;
}

/** The tracking document (server/core/tracking.ts `trackingSchema`). */
export interface Tracking {
  brand: { name?: string; handles?: string[] };
  keywords: string[];
  hashtags: string[];
  competitors: { name: string; keywords: string[]; handles: string[] }[];
  excluded: string[];
  topics?: unknown;
  [key: string]: unknown;
}

export interface Settings {
  tracking: Tracking;
  sources: unknown;
  notifications: { channels: Channel[] };
  retention: Retention;
}

export interface AuditEntry {
  seq: number;
  at: Stamp;
  actor: string | null;
  via: string | null;
  action: string;
  target: string | null;
  detail: unknown;
  ip: string | null;
}

/** One entry per non-blank line (or comma), trimmed. */
export function splitList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** A list for a textarea: one entry per line. */
export function joinList(list: readonly string[] | undefined): string {
  return (list ?? []).join('\n');
}

/** "23 Nov 2026, 14:05" for a stamp, or "never". */
export function when(stamp: Stamp | undefined): string {
  if (stamp === null || stamp === undefined || stamp === '') return 'never';
  const d = new Date(stamp);
  if (Number.isNaN(d.getTime())) return String(stamp);
  return d.toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit'
  });
}

/** An audit entry's detail as one line of text. */
export function detailText(detail: unknown): string {
  if (detail === null || detail === undefined) return '';
  if (typeof detail === 'string') return detail;
  try {
    return JSON.stringify(detail);
  } catch {
    return String(detail);
  }
}

/** The tracking document with the form's common fields applied. */
export function withCommonFields(
  doc: Tracking,
  form: { brandName: string; handles: string; keywords: string; hashtags: string; excluded: string }
): Tracking {
  const name = form.brandName.trim();
  const brand: Tracking['brand'] = { ...doc.brand, handles: splitList(form.handles) };
  if (name) brand.name = name;
  else delete brand.name;
  return {
    ...doc,
    brand,
    keywords: splitList(form.keywords),
    hashtags: splitList(form.hashtags),
    excluded: splitList(form.excluded)
  };
}

/** A fresh id for a new notification channel, from its name. */
export function channelId(name: string, taken: readonly string[]): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'channel';
  let id = base;
  for (let n = 2; taken.includes(id); n++) id = `${base}-${n}`;
  return id;
}

/** A channel as the API expects it: only the fields its kind uses. */
export function cleanChannel(c: Channel): Channel {
  const out: Channel = { id: c.id, kind: c.kind, name: c.name.trim(), level: Number(c.level) };
  if (c.kind === 'email') {
    const to = Array.isArray(c.to) ? c.to : (c.to ?? '').split(',');
    out.to = to.map((a) => a.trim()).filter(Boolean);
    out.host = (c.host ?? '').trim();
    out.port = Number(c.port) || 587;
    out.secure = c.secure ?? false;
    out.user = c.user?.trim() || null;
    out.password = c.password || null;
    out.from = (c.from ?? '').trim();
  } else if (c.url?.trim()) out.url = c.url.trim();
  if (c.kind === 'webhook') out.secret = c.secret || null;
  return out;
}

/** The path of the audit log's page: newest first, older than `before` when given. */
export function auditPath(limit: number, before: number | null): string {
  return `/api/v1/audit?limit=${limit}${before === null ? '' : `&before=${before}`}`;
}
