import { IANAZone } from 'luxon';
import { z } from 'zod';
import type { CareAgents, CareAgentStats } from '../../../src/lib/shared/types';

/*
 * Who answered, and how well: agent attribution of brand replies, and per-agent and per-team
 * performance for the manager who staffs the next shift.
 *
 * Attribution. A brand reply names its agent either in an explicit `agent` field of the ingested
 * data, or by a signature at the very end of the text, the way brand care accounts sign on
 * public social media:
 *
 *   "… Let us know! ^JS"    "… -AB"    "… *TJ"    "… ~MK"    "… /KC"    "…thanks. -Sam"
 *
 * The signature convention is a regular expression with one capture group (the agent's
 * signature), a map from signature to display name ("JS" → "Jo Smith") and a map from agent to
 * team. Each brand can set its own; DEFAULT_AGENT_CONVENTION covers the styles above.
 *
 * Performance. agentStats folds attributed replies into counts (replies, conversations handled,
 * first responses), first-response time quantiles, SLA compliance and a reply histogram by hour
 * of day in the brand's time zone, per agent and per team.
 */

/** Longest agent name accepted from an explicit field or a display-name map, in characters. */
export const AGENT_NAME_MAX = 64;
/** Longest signature pattern accepted, in characters. */
export const SIGNATURE_PATTERN_MAX = 500;
/**
 * Flags the signature pattern is compiled with: `u` (Unicode), so `\p{Lu}` (any upper-case
 * letter) and `\p{Ll}` (any lower-case letter) work and "-José" is a name. No `i`: case matters,
 * "^JS" is a signature and "^js" is not.
 */
export const SIGNATURE_FLAGS = 'u';
/** Team name under which agentStats aggregates agents that have no team. */
export const UNASSIGNED_TEAM = 'Unassigned';

/**
 * The default signature, anchored at the end of the reply (trailing white space allowed, nothing
 * else). It accepts, after white space or at the very start of the text:
 *
 *   - a marker `^`, `-`, `*`, `~` or `/` directly followed by 2–3 upper-case letters and at most
 *     2 digits: "^JS", "-AB", "*TJ", "~MK", "/KC", "^JS2", "-ABC12"; or
 *   - a `-` directly followed by a capitalised name of 2–20 letters: "-Sam", "-José".
 *
 * It refuses: a space between marker and initials ("- OK", "^ JS"); lower-case initials ("^js");
 * a marker glued to the previous word, as in a URL tail ("https://x.co/AB") or "and/OR"; a
 * signature followed by anything but white space ("^JS thanks", "^JS."); markers alone ("^^");
 * four or more capitals ("-ASAP"); and the words "OK", "LOL" and "FYI" (all capitals or
 * capitalised) after any marker ("-OK", "-Ok").
 * When a reply carries several ("^DK ^MD"), the last one ("MD") is taken: the pattern must reach
 * the end of the text, which only the last can.
 */
export const DEFAULT_SIGNATURE =
  '(?:^|\\s)[\\^*~/-](?!(?:OK|Ok|LOL|Lol|FYI|Fyi)(?![\\p{L}\\p{N}]))' +
  '(\\p{Lu}{2,3}\\p{N}{0,2}|(?<=-)\\p{Lu}\\p{Ll}{1,19})\\s*$';

/** Number of capture groups in a pattern (it must compile with SIGNATURE_FLAGS). */
function captureGroups(source: string): number {
  // An empty alternative makes the pattern match "", and the match array has one slot per group.
  return (new RegExp(`${source}|`, SIGNATURE_FLAGS).exec('') ?? []).length - 1;
}

function compiles(source: string): boolean {
  try {
    new RegExp(source, SIGNATURE_FLAGS);
    return true;
  } catch {
    return false;
  }
}

const agentName = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(AGENT_NAME_MAX, `must be at most ${AGENT_NAME_MAX} characters`);

/**
 * A brand's agent convention. `signature` is a regular expression source (compiled with
 * SIGNATURE_FLAGS) with exactly one capture group, the signature; `names` maps a signature to a
 * display name; `teams` maps an agent (the display name, or the explicit agent field) to a team.
 */
export const AgentConventionSchema = z.strictObject({
  signature: z
    .string({ error: 'must be a regular expression' })
    .min(1, { message: 'must not be empty', abort: true })
    .max(SIGNATURE_PATTERN_MAX, {
      message: `must be at most ${SIGNATURE_PATTERN_MAX} characters`,
      abort: true
    })
    .refine(compiles, { message: 'must be a valid regular expression', abort: true })
    .refine((s) => captureGroups(s) === 1, {
      message: 'must have exactly one capture group, the signature, e.g. "\\^(\\p{Lu}{2})$"'
    }),
  names: z.record(z.string({ error: 'must be a string' }), agentName, {
    error: 'must map signatures to display names'
  }),
  teams: z.record(z.string({ error: 'must be a string' }), agentName, {
    error: 'must map agents to team names'
  })
});

/** A validated agent convention (see AgentConventionSchema). */
export type AgentConvention = z.output<typeof AgentConventionSchema>;

/** The convention used when a brand sets none: DEFAULT_SIGNATURE, no names, no teams. */
export const DEFAULT_AGENT_CONVENTION: AgentConvention = {
  signature: DEFAULT_SIGNATURE,
  names: {},
  teams: {}
};

/** What attribution reads from a brand reply. */
export interface AttributableReply {
  /** Agent given by the source data, if any; wins over a signature when usable. */
  agent?: string | null;
  text: string;
}

/**
 * Compiles a convention (validated with AgentConventionSchema, which throws a ZodError when it is
 * invalid) into an attribution function. For each reply it returns:
 *
 *   1. the explicit `agent` field, trimmed, when it is 1–AGENT_NAME_MAX characters; a longer
 *      value is not a plausible name (more likely a whole message in the wrong column) and is
 *      ignored, as is an empty one;
 *   2. otherwise the signature captured at the end of the text, mapped through `names`
 *      (`names[sig] ?? sig`);
 *   3. otherwise null.
 */
export function compileAgentConvention(
  convention: z.input<typeof AgentConventionSchema>
): (reply: AttributableReply) => string | null {
  const c = AgentConventionSchema.parse(convention);
  const pattern = new RegExp(c.signature, SIGNATURE_FLAGS);
  const names = new Map(Object.entries(c.names));
  return (reply) => {
    const explicit = reply.agent?.trim() ?? '';
    if (explicit !== '' && explicit.length <= AGENT_NAME_MAX) return explicit;
    const sig = pattern.exec(reply.text)?.[1];
    if (sig === undefined || sig === '') return null;
    return names.get(sig) ?? sig;
  };
}

/** One attributed brand reply, the input of agentStats. */
export interface AgentReply {
  agent: string;
  /** When the reply was posted, epoch ms. */
  at: number;
  /** Set when this reply is the FIRST brand response to a customer mention: the wait in ms. */
  firstResponseMs: number | null;
  /** Whether that first response met its SLA (null if no SLA / not a first response). */
  slaMet: boolean | null;
  /** Conversation key (source + root id) so handled volume counts conversations, not replies. */
  conversation: string;
}

/** Performance of one agent (or, with TeamStats, one team) over the replies given. */
/** One agent's figures: the wire contract's CareAgentStats (its fields are documented there). */
export type AgentStats = CareAgentStats;

/**
 * Performance of a team: the same measures over all its agents' replies pooled (quantiles of all
 * first responses, not an average of agents' medians; a conversation two agents of the team
 * replied in is handled once), and the number of agents.
 */
export type TeamStats = CareAgents['teams'][number];

/** Result of agentStats. */
export interface AgentStatsReport {
  /** By replies, most first, then by name. */
  agents: AgentStats[];
  /** By replies, most first, then by name; agents without a team are under UNASSIGNED_TEAM. */
  teams: TeamStats[];
}

/**
 * The q-quantile (0–1) of ascending values by linear interpolation between closest ranks (the
 * "type 7" definition of Hyndman & Fan, used by spreadsheets' PERCENTILE.INC and NumPy's
 * default): position h = (n − 1) · q, result = x[⌊h⌋] + (h − ⌊h⌋) · (x[⌊h⌋ + 1] − x[⌊h⌋]).
 * The median of 1, 2, 3, 4 is 2.5; their 90th percentile is 3.7. Null when empty.
 */
export function quantile(sorted: readonly number[], q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const below = sorted[lo] ?? 0;
  const above = sorted[Math.min(n - 1, lo + 1)] ?? below;
  return below + (h - lo) * (above - below);
}

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/**
 * Hour of day 0–23 of an instant in a zone, with the zone's offset looked up once per UTC hour:
 * when the offset is the same at both ends of the UTC hour, it holds throughout (zones change
 * offset at most once in an hour), otherwise the exact instant is looked up.
 */
function hourOfDay(zone: IANAZone): (at: number) => number {
  const cache = new Map<number, number>();
  return (at) => {
    const key = Math.floor(at / HOUR_MS);
    let offset = cache.get(key);
    if (offset === undefined) {
      const start = zone.offset(key * HOUR_MS);
      offset = start === zone.offset((key + 1) * HOUR_MS - 1) ? start : NaN;
      cache.set(key, offset);
    }
    if (Number.isNaN(offset)) offset = zone.offset(at);
    const local = Math.floor((at + offset * MINUTE_MS) / HOUR_MS) % 24;
    return local < 0 ? local + 24 : local;
  };
}

/** Running totals of one agent or team. */
interface Acc {
  replies: number;
  conversations: Set<string>;
  firstResponseMs: number[];
  slaMet: number;
  slaMissed: number;
  byHour: number[];
  firstAt: number;
  lastAt: number;
}

function newAcc(): Acc {
  return {
    replies: 0,
    conversations: new Set(),
    firstResponseMs: [],
    slaMet: 0,
    slaMissed: 0,
    byHour: new Array<number>(24).fill(0),
    firstAt: Infinity,
    lastAt: -Infinity
  };
}

function add(acc: Acc, r: AgentReply, hour: number): void {
  acc.replies++;
  acc.conversations.add(r.conversation);
  if (r.firstResponseMs !== null && Number.isFinite(r.firstResponseMs)) {
    acc.firstResponseMs.push(r.firstResponseMs);
    if (r.slaMet === true) acc.slaMet++;
    else if (r.slaMet === false) acc.slaMissed++;
  }
  acc.byHour[hour] = (acc.byHour[hour] ?? 0) + 1;
  if (r.at < acc.firstAt) acc.firstAt = r.at;
  if (r.at > acc.lastAt) acc.lastAt = r.at;
}

function measures(acc: Acc): Omit<AgentStats, 'agent' | 'team'> {
  const times = acc.firstResponseMs.sort((a, b) => a - b);
  const withSla = acc.slaMet + acc.slaMissed;
  return {
    replies: acc.replies,
    handled: acc.conversations.size,
    firstResponses: times.length,
    medianFirstResponseMs: quantile(times, 0.5),
    p90FirstResponseMs: quantile(times, 0.9),
    slaMet: acc.slaMet,
    slaMissed: acc.slaMissed,
    slaCompliance: withSla === 0 ? null : acc.slaMet / withSla,
    byHour: acc.byHour,
    firstAt: acc.firstAt,
    lastAt: acc.lastAt
  };
}

function byRepliesThenName(a: { replies: number }, b: { replies: number }, an: string, bn: string) {
  return b.replies - a.replies || (an < bn ? -1 : an > bn ? 1 : 0);
}

/**
 * Per-agent and per-team performance over attributed replies (see AgentStats and TeamStats).
 * `teams` maps an agent to a team (agents not in it are in team null, aggregated under
 * UNASSIGNED_TEAM; a team really named "Unassigned" is merged with it). `timeZone` is the IANA
 * zone of the brand ("America/New_York") for the hour-of-day histogram; an unknown zone throws a
 * RangeError. Replies whose `at` is not a finite number are skipped.
 */
export function agentStats(
  replies: Iterable<AgentReply>,
  opts: { teams: Record<string, string>; timeZone: string }
): AgentStatsReport {
  const zone = IANAZone.create(opts.timeZone);
  if (!zone.isValid) throw new RangeError(`unknown time zone "${opts.timeZone}"`);
  const hourOf = hourOfDay(zone);
  const teamOf = new Map(Object.entries(opts.teams));

  const agents = new Map<string, Acc>();
  const teams = new Map<string, { acc: Acc; agents: Set<string> }>();
  for (const r of replies) {
    if (!Number.isFinite(r.at)) continue;
    const hour = hourOf(r.at);
    let acc = agents.get(r.agent);
    if (acc === undefined) agents.set(r.agent, (acc = newAcc()));
    add(acc, r, hour);
    const teamName = teamOf.get(r.agent) ?? UNASSIGNED_TEAM;
    let team = teams.get(teamName);
    if (team === undefined) teams.set(teamName, (team = { acc: newAcc(), agents: new Set() }));
    add(team.acc, r, hour);
    team.agents.add(r.agent);
  }

  const agentList: AgentStats[] = [...agents].map(([agent, acc]) => ({
    agent,
    team: teamOf.get(agent) ?? null,
    ...measures(acc)
  }));
  agentList.sort((a, b) => byRepliesThenName(a, b, a.agent, b.agent));
  const teamList: TeamStats[] = [...teams].map(([team, t]) => ({
    team,
    agents: t.agents.size,
    ...measures(t.acc)
  }));
  teamList.sort((a, b) => byRepliesThenName(a, b, a.team, b.team));
  return { agents: agentList, teams: teamList };
}
