/**
 * Social channels a mention can come from. Order is stable: it indexes columnar arrays and stored
 * rollups, so new channels are only ever appended (see `upgradeRollupCounts`).
 */
export const CHANNELS = [
  'twitter',
  'facebook',
  'instagram',
  'reddit',
  'forum',
  'review',
  'news',
  'bluesky',
  'mastodon'
] as const;

/** One social channel. */
export type Channel = (typeof CHANNELS)[number];

/** Human-readable channel names for the UI. */
export const CHANNEL_LABELS: Record<Channel, string> = {
  twitter: 'X / Twitter',
  facebook: 'Facebook',
  instagram: 'Instagram',
  reddit: 'Reddit',
  forum: 'Forums',
  review: 'Reviews',
  news: 'News & blogs',
  bluesky: 'Bluesky',
  mastodon: 'Mastodon'
};

/** The author of a mention as the source reports it. */
export interface Author {
  handle: string;
  name: string;
  followers: number;
  verified: boolean;
}

/** A point on Earth, optionally with an ISO 3166-1 alpha-2 country code. */
export interface Geo {
  lat: number;
  lon: number;
  country?: string | undefined;
}

/** One mention of the brand, validated at the boundary. Times are epoch milliseconds. */
export interface Mention {
  id: string;
  source: string;
  channel: Channel;
  createdAt: number;
  text: string;
  author: Author;
  lang: string | null;
  url: string | null;
  inReplyToId: string | null;
  geo: Geo | null;
  /** On a brand reply: the agent who wrote it, when the source says (see care attribution). */
  agent?: string | null;
}

/** Sentiment class of a mention. */
export type SentimentLabel = 'negative' | 'neutral' | 'positive';

/** Sentiment of one text: score in [-1, 1] and its label. */
export interface Sentiment {
  score: number;
  label: SentimentLabel;
  /** Set when the text is in a language the engine does not score (label neutral, score 0). */
  unscored?: true;
}

/** What a mention is trying to do (see server/core/enrich/intent.ts). */
export const INTENTS = ['complaint', 'question', 'praise', 'purchase', 'other'] as const;
/** One intent. */
export type Intent = (typeof INTENTS)[number];

/** Reach of an author, from followers, verification and engagement. */
export const INFLUENCE_TIERS = ['everyday', 'notable', 'influencer', 'celebrity'] as const;
/** One influence tier. */
export type InfluenceTier = (typeof INFLUENCE_TIERS)[number];

/** A mention after enrichment. */
export interface EnrichedMention extends Mention {
  /** Language used for scoring: declared by the platform or detected (ISO 639-1), or `und`. */
  language: string;
  intent: Intent;
  /** Names of the configured topics the text matches. */
  topics: string[];
  /** Author influence 0–100 and its tier. */
  influence: number;
  influenceTier: InfluenceTier;
  /** Triage priority 0–100 on arrival (waiting time raises it later; see /api/v1/triage). */
  priority: number;
  sentiment: Sentiment;
  /** True when the author is one of the configured brand handles. */
  isBrand: boolean;
  /** True when the author is a configured brand handle replying to a customer mention. */
  isBrandReply: boolean;
}

/** Rolling windows the server maintains. */
export const WINDOWS = ['1m', '5m', '15m', '1h', '24h'] as const;

/** One rolling window key. */
export type WindowKey = (typeof WINDOWS)[number];

/** Length of each rolling window in milliseconds. */
export const WINDOW_MS: Record<WindowKey, number> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '24h': 86_400_000
};

/** Aggregates of one rolling window, as served by GET /api/v1/summary and on the wire. */
export interface WindowSummary {
  window: WindowKey;
  /** Epoch ms the summary was computed at. */
  asOf: number;
  volume: number;
  perMinute: number;
  byChannel: Record<Channel, number>;
  sentiment: { negative: number; neutral: number; positive: number; net: number };
  /** First-response time of brand replies that arrived in the window. Null quantiles when count is 0. */
  responseTime: { count: number; p50Ms: number | null; p90Ms: number | null };
  /** Customer mentions created in the window that have no brand reply yet. */
  unanswered: number;
}

/** One bucket of chart history (a second or a minute). */
export interface SeriesPoint {
  /** Bucket start, epoch ms. */
  t: number;
  total: number;
  /** Counts per channel, in CHANNELS order. */
  byChannel: number[];
  negative: number;
  neutral: number;
  positive: number;
  /**
   * Customer mentions of this bucket still without a brand reply. Minutes are sent again when a
   * reply answers one; a second's count is as of when it was last sent.
   */
  unanswered: number;
  /** Median first response of the brand replies that arrived in this bucket; null without any. */
  responseP50Ms: number | null;
}

/** Columnar chart history: `t` ascending, every array the same length. */
export interface SeriesBlock {
  /** Bucket width in ms (1000 or 60000). */
  stepMs: number;
  t: number[];
  total: number[];
  /** One array per channel, in CHANNELS order. */
  byChannel: number[][];
  negative: number[];
  neutral: number[];
  positive: number[];
  unanswered: number[];
  responseP50Ms: (number | null)[];
}

/** An empty columnar block with the given bucket width. */
export function emptySeriesBlock(stepMs: number): SeriesBlock {
  return {
    stepMs,
    t: [],
    total: [],
    byChannel: CHANNELS.map(() => []),
    negative: [],
    neutral: [],
    positive: [],
    unanswered: [],
    responseP50Ms: []
  };
}

/** A mention as the live river shows it. Text is untrusted: render as text only. */
export interface RiverItem {
  id: string;
  channel: Channel;
  createdAt: number;
  text: string;
  author: { handle: string; name: string; followers: number; verified: boolean };
  sentiment: Sentiment;
  isBrandReply: boolean;
  url: string | null;
  source: string;
  intent: Intent;
  topics: string[];
  influenceTier: InfluenceTier;
  priority: number;
}

/** Top topics for the wall: configured topics counted over a window, plus emerging terms. */
export interface TopTopics {
  /** Length of the window counted, ms. */
  windowMs: number;
  /** Configured topics by mentions in the window, most first. */
  configured: { name: string; count: number }[];
  /**
   * Terms and two-word phrases rising in the window (stop-words removed). `growth` > 1 means the
   * term is more frequent in the latest quarter of the window than over the whole of it.
   * `spike` marks a term whose share of the texts jumped against its own per-minute baseline
   * (an active `term:` detection); those come first.
   */
  emerging: { term: string; count: number; growth: number; spike: boolean }[];
}

/** Which per-minute series a detection is on. */
export type DetectionMetric =
  'volume' | 'channel' | 'topic' | 'term' | 'negative-share' | 'response-p90' | 'unanswered';

/** Something that accounts for a detection's excess. */
export interface DetectionDriver {
  kind: 'channel' | 'topic' | 'term' | 'author';
  name: string;
  /** Mentions in the detection's minute (for a term: in the emerging-terms window). Authors are
   * counted only when they posted more than once in the minute. */
  observed: number;
  /** What was expected of it in that minute; null for terms and authors. */
  expected: number | null;
  /** Its fraction of the summed excess of its kind (0–1; authors: of the minute's mentions); null
   * for terms. */
  share: number | null;
}

/** A spike or anomaly raised on one per-minute series, with its explanation. */
export interface Detection {
  id: string;
  /**
   * Series id: `volume`, `channel:x`, `topic:x`, `term:x` (a word, two-word phrase or hashtag),
   * `negative-share`, `response-p90`, `unanswered`.
   */
  series: string;
  metric: DetectionMetric;
  /** Human name of the series (a channel or topic name, or the metric). */
  label: string;
  /** Start of the minute it was raised in, epoch ms. */
  at: number;
  /**
   * Observed value in that minute, in the series' units: mentions, a share 0–1, ms; for a term,
   * the sampled texts that mention it (the sample is every text up to 200 a second).
   */
  observed: number;
  expected: number;
  lower: number;
  upper: number;
  /** 1 (mild) to 10 (extreme). */
  severity: number;
  /** Anomaly score in [0, 1) on the raising row. */
  score: number;
  state: 'active' | 'resolved';
  resolvedAt: number | null;
  resolution: 'cleared' | 'level-shift' | null;
  drivers: DetectionDriver[];
}

/** Expected mentions per minute and its band, for the volume and sentiment charts. */
export interface BandPoint {
  t: number;
  expected: number;
  lower: number;
  upper: number;
}

/** Connection state of a mention source. */
export type SourceState = 'connecting' | 'connected' | 'backoff' | 'idle' | 'stopped';

/** Health of one mention source, as shown on the wall's source strip and in /metrics. */
export interface SourceHealth {
  /** Unique source name, as in `Mention.source` (for example `bluesky`, `rss:acme-blog`). */
  name: string;
  /** What kind of source: simulator, replay, bluesky, mastodon, rss. */
  kind: string;
  state: SourceState;
  /** Mentions per second delivered over the last 10 seconds. */
  eventsPerSec: number;
  /** Epoch ms of the last mention received, or null. */
  lastEventAt: number | null;
  /** How far behind real time the last mention was when it arrived (receive time − createdAt), ms. */
  lagMs: number | null;
  /** The last error, in words, with when it happened; null once the source is healthy again. */
  lastError: { message: string; at: number } | null;
  /** Mentions delivered since the server started. */
  received: number;
  /** Mentions dropped because the source's buffer was full (overload), since start. */
  dropped: number;
  /** Mentions waiting in the source's buffer for the pipeline. */
  buffered: number;
  /** Reconnects since start. */
  reconnects: number;
}

/** Full wall state, sent on connect and on resync. */
export interface WallSnapshot {
  seq: number;
  serverTime: number;
  /** The brand this wall watches. */
  brand: { name: string; handles: string[] };
  windows: Record<WindowKey, WindowSummary>;
  /** Per-second history for the last 15 minutes. */
  seconds: SeriesBlock;
  /** Per-minute history for the last 24 hours. */
  minutes: SeriesBlock;
  /** Newest mentions first. */
  river: RiverItem[];
  /** Health of every configured source. */
  sources: SourceHealth[];
  topics: TopTopics;
  /** Recent detections, newest first. */
  detections: Detection[];
  /** Expected volume band per minute (oldest first), as long as the detector has history. */
  band: BandPoint[];
  /** Expected negative mentions per minute and band (oldest first), from the negative share. */
  negativeBand: BandPoint[];
}

/** About once a second: current windows plus chart points to append or replace (matched by `t`). */
export interface WallTick {
  seq: number;
  serverTime: number;
  windows: Record<WindowKey, WindowSummary>;
  /** Per-second points that changed since the previous tick, ascending. */
  seconds: SeriesPoint[];
  /** Per-minute points that changed since the previous tick, ascending. */
  minutes: SeriesPoint[];
  /** Top topics, every few ticks (absent in between). */
  topics?: TopTopics;
  /** When a minute closed: the detections, newest first (new and changed ones included). */
  detections?: Detection[];
  /** When a minute closed: its new band points. */
  band?: BandPoint[];
  /** When a minute closed: its new negative band points. */
  negativeBand?: BandPoint[];
}

/** New mentions for the live river, coalesced; newest last. */
export interface MentionBatch {
  items: RiverItem[];
}

// ---------------------------------------------------------------------------------------------
// Alerting (rules, alerts, the crisis workflow)

/** Lifecycle state of an alert (see server/core/alerts/lifecycle.ts). */
export type AlertState = 'pending' | 'firing' | 'acknowledged' | 'resolved';

/** Alert severities, least severe first; `critical` takes the wall over until acknowledged. */
export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** Kinds of alert rule. */
export const RULE_KINDS = [
  'threshold',
  'anomaly',
  'keyword',
  'influencer',
  'sla',
  'silence'
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** Narrows what a rule looks at; every field given must match. */
export interface RuleScope {
  channel?: Channel;
  /** A configured topic name. */
  topic?: string;
  sentiment?: SentimentLabel;
}

/** Metrics a threshold rule compares, over one rolling window. */
export const THRESHOLD_METRICS = [
  'volume',
  'per-minute',
  'negative-share',
  'net-sentiment',
  'unanswered',
  'response-p50',
  'response-p90'
] as const;
export type ThresholdMetric = (typeof THRESHOLD_METRICS)[number];

export type Comparison = '>' | '>=' | '<' | '<=';

/** Fields every rule has. */
export interface RuleBase {
  id: string;
  name: string;
  enabled: boolean;
  severity: AlertSeverity;
  scope: RuleScope;
  /** The condition must hold this long before the alert fires (0: at once). */
  forMs: number;
  /** A firing alert resolves after the condition has been clear this long. */
  holdMs: number;
  /** Not acknowledged for this long → next contact level; null: never escalates. */
  escalateAfterMs: number | null;
}

/** An alert rule, by kind. */
export type AlertRule = RuleBase &
  (
    | {
        kind: 'threshold';
        metric: ThresholdMetric;
        window: WindowKey;
        comparison: Comparison;
        value: number;
      }
    | {
        kind: 'anomaly';
        /** Which detector series: the metric of a Detection. */
        metric: DetectionMetric;
        sensitivity: 'low' | 'balanced' | 'high';
        /** Least detection severity (1–10) that counts. */
        minSeverity: number;
      }
    | {
        kind: 'keyword';
        /** Words or phrases, case-insensitive, matched on word boundaries. */
        terms: string[];
        /** Matching mentions within `windowMs` needed. */
        minCount: number;
        windowMs: number;
      }
    | { kind: 'influencer'; minTier: InfluenceTier; negativeOnly: boolean }
    | {
        kind: 'sla';
        /**
         * `policies`: a mention breaches when it passes its care SLA policy's deadline (business
         * hours, per-tier targets). `target` (default): when unanswered longer than targetMs.
         */
        basis?: 'policies' | 'target';
        /** With basis `target`: a customer mention unanswered for longer breaches the SLA. */
        targetMs: number;
        /** Breaching mentions needed. */
        minCount: number;
      }
    | {
        kind: 'silence';
        /** A source name; null: any mention at all (or of the scope's topic/channel). */
        source: string | null;
        /** Nothing arrived for this long. */
        afterMs: number;
      }
  );

/** One line of an alert's history. `code` is a lifecycle reason code or `notified`. */
export interface AlertTimelineEntry {
  at: number;
  code: string;
  by: string | null;
  detail: string | null;
}

/** One notification attempt for an alert. */
export interface AlertDelivery {
  at: number;
  channelId: string;
  event: string;
  attempt: number;
  ok: boolean;
  status: number | null;
  error: string | null;
  /** sent | retrying | not-retryable | gave-up | silenced | duplicate | rate-limited | queue-full */
  reason: string;
}

/** What the alert is about, for its card, the crisis layout and notifications. */
export interface AlertContext {
  /** What was measured, in words ("Mentions per minute", "Negative share"). */
  measure: string;
  /** Unit of observed/expected: `/min`, `%` (a 0–1 share), `ms`, `mentions`. */
  unit: string;
  observed: number | null;
  expected: number | null;
  lower: number | null;
  upper: number | null;
  drivers: DetectionDriver[];
  /** The newest matching mentions (text from the internet: render as text). */
  samples: RiverItem[];
}

/** An alert as the API, the console and the wall see it. */
export interface AlertView {
  id: string;
  ruleId: string;
  ruleName: string;
  ruleKind: RuleKind;
  /** The group within the rule: `all`, `channel:x`, `topic:x`, `term:x`, `source:x`, … */
  scopeKey: string;
  title: string;
  severity: AlertSeverity;
  /** A fire drill: labelled DRILL everywhere, kept out of real metrics and history. */
  drill: boolean;
  state: AlertState;
  startedAt: number;
  firedAt: number | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  resolvedAt: number | null;
  resolvedBy: string | null;
  clearedAt: number | null;
  occurrences: number;
  lastTriggeredAt: number;
  snoozedUntil: number | null;
  assignee: string | null;
  escalationLevel: number;
  timeline: AlertTimelineEntry[];
  deliveries: AlertDelivery[];
  context: AlertContext | null;
  /** Path into the drill-down for the alert's window and scope (`/explore?…`). */
  link: string;
}

/** What a rule would have done over stored history. */
export interface RuleBacktest {
  days: number;
  /** How many alerts it would have raised. */
  fired: number;
  /** Their start times, newest first (at most 50). */
  at: number[];
  /** Why the count may be approximate, if it is (e.g. keyword rules read a sample). */
  note: string | null;
}

/** Crisis scenarios a fire drill can play. */
export const DRILL_SCENARIOS = ['product-recall'] as const;
export type DrillScenario = (typeof DRILL_SCENARIOS)[number];

/** How a drill went, for the console and the drill report. */
export interface DrillReport {
  id: string;
  scenario: DrillScenario;
  startedBy: string;
  startedAt: number;
  /** When the crisis part of the scenario began (after the quiet baseline). */
  burstAt: number;
  endedAt: number | null;
  state: 'running' | 'finished';
  alerts: {
    id: string;
    title: string;
    severity: string;
    firedAt: number | null;
    acknowledgedAt: number | null;
    acknowledgedBy: string | null;
    resolvedAt: number | null;
  }[];
  /** From the start of the burst to the first alert firing. */
  timeToDetectMs: number | null;
  /** From the first alert firing to the first acknowledgement of a drill alert. */
  timeToAcknowledgeMs: number | null;
  /** From the first alert firing to the last drill alert resolving. */
  timeToResolveMs: number | null;
}

/** A silence: no notifications for a rule's or one alert's alerts until it ends. */
export interface AlertSilence {
  id: string;
  /** The rule silenced (every alert of it), or null. */
  ruleId: string | null;
  /** The alert silenced, or null. */
  alertId: string | null;
  startsAt: number;
  endsAt: number;
  createdBy: string;
  comment: string;
}

// ---------------------------------------------------------------------------------------------
// Access control (server/core/auth/)

/** Roles, least privileged first; each includes everything the ones before it may do. */
export const ROLES = ['viewer', 'agent', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The built-in scenes: the names a display can be pinned to and `/?scene=` picks. Each is a grid
 * of panels (`SceneDef`), editable in settings; playlists rotate them.
 */
export const SCENES = ['overview', 'crisis', 'care', 'topics', 'voice', 'river'] as const;
export type Scene = (typeof SCENES)[number];

/**
 * Panels a scene can place. Each draws from the live state the wall already has (`wall:snapshot`
 * and ticks, `wall:panels`, alerts, `care:summary`).
 */
export const PANEL_KINDS = [
  'kpis',
  'volume',
  'sentiment',
  'gauge',
  'channels',
  'topics',
  'treemap',
  'wordcloud',
  'map',
  'voice',
  'influencers',
  'river',
  'alerts',
  'care'
] as const;
export type PanelKind = (typeof PANEL_KINDS)[number];

/** A panel's place on a scene's grid of 12 columns and `rows` rows (1-based, like CSS grid). */
export interface ScenePanel {
  panel: PanelKind;
  col: number;
  row: number;
  cols: number;
  rows: number;
}

/** A scene: a named grid of panels. */
export interface SceneDef {
  id: Scene;
  title: string;
  /** Grid rows below the header. */
  rows: number;
  panels: ScenePanel[];
}

/** A playlist: scenes shown in turn, each for its dwell time. */
export interface PlaylistDef {
  id: string;
  title: string;
  items: { scene: Scene; dwellSeconds: number }[];
}

/** Scenes and playlists as kept in settings, and as exported or imported as JSON. */
export interface WallConfig {
  version: 1;
  scenes: SceneDef[];
  playlists: PlaylistDef[];
}

/**
 * The slower panels' data, computed from stored mentions every few seconds (`wall:panels`): where
 * mentions come from, the competitors' share of voice and the most influential authors.
 */
export interface WallPanels {
  /** Epoch ms (server clock) the data was computed at. */
  asOf: number;
  /** The window every list covers, ms (ending at `asOf`). */
  windowMs: number;
  geo: {
    /** Located mentions per 1° cell (cell centre), most first. */
    points: { lat: number; lon: number; count: number; negative: number }[];
    located: number;
    total: number;
  };
  /** The brand first, then each configured competitor. */
  voice: { name: string; count: number; brand: boolean }[];
  /** Authors by reach (influence tier, then followers), at most 10. */
  influencers: {
    handle: string;
    name: string;
    followers: number;
    influenceTier: InfluenceTier;
    count: number;
    negative: number;
  }[];
}

/** Scopes of an API token. */
export const TOKEN_SCOPES = ['ingest', 'read', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** How a request or socket was authenticated. */
export type AuthVia = 'session' | 'display' | 'token' | 'anonymous';

/** `GET /api/v1/auth/me`: who the browser is and what it may do. */
export interface AuthMe {
  user: { username: string; role: Role } | null;
  /** The effective role (a display or anonymous viewer is `viewer`); null when refused. */
  role: Role | null;
  via: AuthVia | null;
  display: { id: string; name: string; scene: string | null; privacy: boolean } | null;
  /** The CSRF token to send as X-CSRF-Token with cookie-authenticated mutations. */
  csrf: string | null;
  /** True until the first administrator exists. */
  setupRequired: boolean;
}

/** A user as the settings page lists it (never the password hash). */
export interface UserView {
  username: string;
  role: Role;
  createdAt: number;
  lastLoginAt: number | null;
  disabled: boolean;
}

/** An API token's metadata (the secret is shown once, at creation). */
export interface ApiTokenView {
  id: string;
  name: string;
  scopes: TokenScope[];
  createdAt: number;
  createdBy: string;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** A wall display token's metadata. */
export interface DisplayView {
  id: string;
  name: string;
  /** The scene the display is pinned to, or null for any. */
  scene: string | null;
  /** Mask handles, e-mail addresses, phone numbers and profanity on this display. */
  privacy: boolean;
  createdAt: number;
  createdBy: string;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** One audit log entry: who changed what, when, and how they were authenticated. */
export interface AuditEntry {
  seq: number;
  at: number;
  actor: string;
  via: AuthVia;
  action: string;
  target: string;
  detail: string;
  ip: string;
}

// ---------------------------------------------------------------------------------------------
// Exploration (server/core/explore/, server/http/explore.ts)

/** A stored mention as /explore lists it: the river's fields and what the filters look at. */
export interface ExploreMention extends RiverItem {
  language: string;
  inReplyToId: string | null;
  /** For a customer mention: whether a brand reply to it is stored. */
  answered: boolean;
  /** Configured competitors the text names. */
  competitors: string[];
  geo: { lat: number; lon: number; country: string | null } | null;
}

// ---------------------------------------------------------------------------------------------
// Customer care (server/core/care/, server/adapters/care/)

/** Where an open mention's first-response clock stands (deadlines, never countdowns). */
export type SlaClockState = 'ok' | 'warning' | 'breached';

/** One open customer mention in the care queue: `GET /api/v1/care/queue`. */
export interface CareQueueItem {
  id: string;
  source: string;
  channel: Channel;
  createdAt: number;
  text: string;
  author: { handle: string; name: string; followers: number; verified: boolean };
  sentiment: SentimentLabel;
  intent: Intent;
  influenceTier: InfluenceTier;
  topics: string[];
  /** Priority now (0–100): the arrival priority plus what waiting has added. */
  priority: number;
  /** Why, in words: the arrival reasons and the waiting time. */
  reasons: string[];
  waitingMs: number;
  /** The matched SLA policy and its deadlines; null when no policy applies. */
  sla: { policy: string; warnAt: number; dueAt: number; state: SlaClockState } | null;
  /** The SLA deadline (= sla.dueAt), at the top level for scripts. */
  slaDueAt: number | null;
  claimedBy: string | null;
  claimedAt: number | null;
}

/** `GET /api/v1/care/queue`: the open mentions matching the filters, highest priority first. */
export interface CareQueue {
  /** The server's clock when the queue was read: waiting times and SLA states are as of now. */
  now: number;
  /** Open customer mentions in all. */
  total: number;
  /** Open mentions matching the filters (items holds the first `limit` of them). */
  matching: number;
  items: CareQueueItem[];
  /** Changes each time the queue changes; the care page refetches when it moves. */
  version: number;
}

/** First-response performance of one agent: `GET /api/v1/care/agents` (server/core/care/agents.ts). */
export interface CareAgentStats {
  agent: string;
  /** The agent's team, or null when the convention's `teams` does not name one. */
  team: string | null;
  replies: number;
  /** Distinct conversations replied in. */
  handled: number;
  /** Replies that were the first brand response to a customer mention. */
  firstResponses: number;
  /** Median and 90th percentile first-response time, ms; null without first responses. */
  medianFirstResponseMs: number | null;
  p90FirstResponseMs: number | null;
  /** First responses within and past their SLA. */
  slaMet: number;
  slaMissed: number;
  /** slaMet / (slaMet + slaMissed), 0–1; null when no first response had an SLA. */
  slaCompliance: number | null;
  /** Replies per hour of the day (0–23) in the care team's time zone. */
  byHour: number[];
  /** Earliest and latest reply, epoch ms. */
  firstAt: number;
  lastAt: number;
}

/** `GET /api/v1/care/agents?from=&to=` */
export interface CareAgents {
  from: number;
  to: number;
  timeZone: string;
  items: CareAgentStats[];
  teams: (Omit<CareAgentStats, 'agent' | 'team'> & { team: string; agents: number })[];
  /** Brand replies in the range that carried no agent (no field, no signature). */
  unattributed: number;
}

/** SLA compliance of answered and overdue mentions: met / (met + missed + breached open). */
export interface SlaCompliance {
  met: number;
  missed: number;
  breachedOpen: number;
  ratio: number | null;
}

/** The care scene and the queue's header, pushed as `care:summary` about once a second. */
export interface CareSummary {
  at: number;
  /** Bumped whenever the queue changes (arrival, answer, claim). */
  version: number;
  depth: number;
  claimed: number;
  warning: number;
  breached: number;
  oldest: { id: string; source: string; createdAt: number; text: string } | null;
  /** Compliance over the last hour and day, overall and per channel. */
  compliance: {
    hour: SlaCompliance;
    day: SlaCompliance;
    byChannel: ({ channel: Channel } & SlaCompliance)[];
  };
  /** First responses of the last 24 hours: quantiles and a histogram. */
  firstResponse: {
    count: number;
    p50Ms: number | null;
    p90Ms: number | null;
    /** Upper bounds of the histogram's buckets, in ms; the last bucket is everything above. */
    bucketsMs: number[];
    counts: number[];
  };
  /** Agents with a reply in the last hour. */
  agentsActive: number;
}

/** What the value model assumes (server/core/care/value.ts), editable in the care settings. */
export interface CareValueAssumptions {
  /** ISO 4217 currency code of the costs, e.g. "USD", "EUR". */
  currency: string;
  /** Fully loaded cost of one contact in each channel, in `currency`. */
  costPerContact: { phone: number; chat: number; email: number; selfService: number };
  /** How many times as many contacts per hour a social agent clears as a phone agent (> 0). */
  socialProductivity: number;
  /**
   * Share of issues resolved on social that would otherwise have become this kind of contact;
   * sums to ≤ 1. The rest would have been served by self-service (costPerContact.selfService).
   */
  deflectionMix: { phone: number; chat: number; email: number };
}

/** `GET /api/v1/care/value?from=&to=`: the value of social care and how conversations ended. */
export interface CareValue {
  from: number;
  to: number;
  /** The value of social care over the range; money in `currency`, rounded to cents. */
  value: {
    currency: string;
    /** Length of the period in days, may be fractional. */
    days: number;
    resolved: number;
    /** Contacts avoided per channel (expected values, may be fractional) and their sum. */
    deflected: { phone: number; chat: number; email: number; total: number };
    /** What the deflected contacts and the self-served rest would have cost. */
    avoidedCost: number;
    /** What resolving the issues on social cost. */
    socialCost: number;
    /** avoidedCost − socialCost; negative when social care cost more than it saved. */
    savings: number;
    /** Savings per day, per 7-day week and per 30-day month; 0 for an empty period. */
    perDay: number;
    perWeek: number;
    perMonth: number;
    /** Post-resolution sentiment split (sentiment ≥ 0.5 promoter, ≤ −0.05 detractor). */
    promoters: number;
    passives: number;
    detractors: number;
    /** (promoters − detractors) / n × 100, null when n = 0: a proxy, not a survey. */
    npsProxy: number | null;
    /** The validated assumptions used. */
    assumptions: CareValueAssumptions;
    /** One line per step of the computation, with its numbers. */
    explanation: string[];
  };
  resolution: {
    conversations: number;
    answered: number;
    resolved: number;
    /** Resolved after one brand reply, without moving to private. */
    fcr: number;
    fcrRate: number | null;
    movedToPrivate: number;
    backToPublic: number;
    /** Customer sentiment before vs after the brand's reply, e.g. negative_to_positive. */
    flips: Record<string, number>;
    /** Public thank-yous after resolution. */
    advocacy: number;
    resolutionRate: number | null;
  };
  /** Where the default figures come from. */
  sources: { topic: string; description: string }[];
  /** Set when only a sample of the range's conversations was analysed. */
  sampled: { analysed: number; of: number } | null;
}
