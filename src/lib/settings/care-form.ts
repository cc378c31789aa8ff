/**
 * The customer-care settings as the settings page edits them: client-side types of
 * `GET/PUT /api/v1/settings/care`, the form ⇄ settings conversion (deflection shares shown as
 * percentages, display names and teams as "key = value" lines, the SLA policies as JSON text),
 * a JSON checker that says where the text stops being JSON, and readable summaries of SLA rules.
 * The server (server/core/care/*) validates everything; these helpers only shape and pre-check.
 */

import type { CareValueAssumptions } from '$lib/shared/types';

/** The built-in always-open calendar of SLA rules. */
export const ALWAYS_OPEN = '24x7';

/** Days of the week as used in `CareCalendar.hours`, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type CareWeekday = (typeof WEEKDAYS)[number];

/** Opening hours of the care team, in its own time zone. */
export interface CareCalendar {
  timeZone: string;
  hours: Partial<Record<CareWeekday, [string, string][]>>;
  holidays: string[];
}

/** One SLA policy: which mentions it covers, the first-response target and the calendar. */
export interface CareSlaRule {
  id: string;
  name: string;
  match: {
    channel?: string[];
    intent?: string[];
    tier?: string[];
    minPriority?: number;
    maxPriority?: number;
  };
  /** In business minutes of the calendar. */
  targetMinutes: number;
  /** A key of `calendars`, or '24x7'. */
  calendar: string;
}

/** Named calendars and the ordered SLA rules (the first that matches applies). */
export interface CareSlaConfig {
  calendars: Record<string, CareCalendar>;
  rules: CareSlaRule[];
}

/** How agents are recognised in brand replies. */
export interface CareAgentConvention {
  /** A regular expression with one capture group, the signature. */
  signature: string;
  /** Signature → display name. */
  names: Record<string, string>;
  /** Agent → team. */
  teams: Record<string, string>;
}

/** The care settings in force (`GET /api/v1/settings/care`), also the body of the PUT. */
export interface CareSettings {
  timeZone: string;
  sla: CareSlaConfig;
  agents: CareAgentConvention;
  value: CareValueAssumptions;
}

/** What the form edits. Number inputs may be emptied (null). Deflection shares in percent. */
export interface CareForm {
  timeZone: string;
  currency: string;
  costPhone: number | null;
  costChat: number | null;
  costEmail: number | null;
  costSelfService: number | null;
  socialProductivity: number | null;
  mixPhone: number | null;
  mixChat: number | null;
  mixEmail: number | null;
  signature: string;
  /** One "signature = display name" a line. */
  names: string;
  /** One "agent = team" a line. */
  teams: string;
  /** The whole `sla` object as JSON. */
  slaJson: string;
}

/** A problem found before sending, in the server's shape: the field's path and a message. */
export interface FormProblem {
  field: string;
  error: string;
}

/** A share 0–1 as a percentage, without floating-point noise (0.15 → 15, not 15.000000000000002). */
export function toPercent(fraction: number): number {
  return Math.round(fraction * 1e8) / 1e6;
}

/** A percentage as a share 0–1 (15 → 0.15). */
export function fromPercent(percent: number): number {
  return Math.round(percent * 1e6) / 1e8;
}

/** A map as "key = value" lines, in the map's order. */
export function pairsText(map: Record<string, string>): string {
  return Object.entries(map)
    .map(([k, v]) => `${k} = ${v}`)
    .join('\n');
}

/**
 * Reads "key = value" lines (split at the first "="; blank lines are skipped; a later line wins
 * over an earlier one with the same key). A line without "=" or with an empty side is refused,
 * naming its line number.
 */
export function parsePairs(
  text: string
): { ok: true; map: Record<string, string> } | { ok: false; error: string } {
  const map: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq < 0) return { ok: false, error: `line ${i + 1}: write it as "key = value"` };
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key === '' || value === '') {
      return { ok: false, error: `line ${i + 1}: both sides of "=" must be filled in` };
    }
    Object.defineProperty(map, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true
    });
  }
  return { ok: true, map };
}

/** The form showing `s`. */
export function formOf(s: CareSettings): CareForm {
  const v = s.value;
  return {
    timeZone: s.timeZone,
    currency: v.currency,
    costPhone: v.costPerContact.phone,
    costChat: v.costPerContact.chat,
    costEmail: v.costPerContact.email,
    costSelfService: v.costPerContact.selfService,
    socialProductivity: v.socialProductivity,
    mixPhone: toPercent(v.deflectionMix.phone),
    mixChat: toPercent(v.deflectionMix.chat),
    mixEmail: toPercent(v.deflectionMix.email),
    signature: s.agents.signature,
    names: pairsText(s.agents.names),
    teams: pairsText(s.agents.teams),
    slaJson: JSON.stringify(s.sla, null, 2)
  };
}

/** Where a JSON text stops being JSON: 0-based offset and 1-based line and column. */
export interface JsonSyntaxError {
  message: string;
  position: number;
  line: number;
  column: number;
}

const MAX_DEPTH = 512;

/**
 * Checks that `text` is one JSON value and says where it is not: the first offending character
 * (or the end of the text) with a message. The same on every browser, unlike the messages of
 * JSON.parse. Returns null when the text is JSON.
 */
export function jsonSyntaxError(text: string): JsonSyntaxError | null {
  let i = 0;
  const fail = (message: string, at = i): never => {
    throw new JsonStop(message, at);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const found = (): string =>
    i >= text.length ? 'the end of the text' : `${JSON.stringify(text[i])}`;
  const literal = (word: string): void => {
    for (let k = 0; k < word.length; k++) {
      if (text[i + k] !== word[k]) fail(`expected ${word}`, i + k);
    }
    i += word.length;
  };
  const string = (): void => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else fail('invalid escape in string');
      } else if (c < ' ') {
        fail(c === '\n' ? 'line break inside a string' : 'control character inside a string');
      } else i++;
    }
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const number = (): void => {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m || m[0] === '-') fail('invalid number');
    i += m![0].length;
    if (i < text.length && /[0-9.eE+-]/.test(text[i]!)) fail('invalid number');
  };
  const value = (depth: number): void => {
    if (depth > MAX_DEPTH) fail('nested too deeply');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') {
          fail(`expected a property name in double quotes, found ${found()}`);
        }
        string();
        ws();
        if (text[i] !== ':') fail(`expected ":" after the property name, found ${found()}`);
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === '}') fail('trailing comma before "}"');
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`expected "," or "}", found ${found()}`);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === ']') fail('trailing comma before "]"');
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`expected "," or "]", found ${found()}`);
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    fail(c === "'" ? 'strings need double quotes' : `expected a value, found ${found()}`);
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail(`unexpected ${found()} after the end of the JSON value`);
    return null;
  } catch (e) {
    if (!(e instanceof JsonStop)) throw e;
    const before = text.slice(0, e.at);
    const line = before.split('\n').length;
    const column = e.at - before.lastIndexOf('\n');
    return { message: e.message, position: e.at, line, column };
  }
}

class JsonStop extends Error {
  constructor(
    message: string,
    readonly at: number
  ) {
    super(message);
  }
}

/** The SLA JSON parsed, or what is wrong with it (syntax, with its place; or not an object). */
export function parseSlaJson(
  text: string
): { ok: true; sla: CareSlaConfig } | { ok: false; error: string; position: number | null } {
  if (text.trim() === '') {
    return { ok: false, error: 'the SLA policies must not be empty', position: null };
  }
  const syntax = jsonSyntaxError(text);
  if (syntax) {
    return {
      ok: false,
      error: `the SLA policies are not valid JSON: ${syntax.message} at line ${syntax.line}, column ${syntax.column}`,
      position: syntax.position
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return {
      ok: false,
      error: `the SLA policies are not valid JSON: ${String(e)}`,
      position: null
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      error: 'the SLA policies must be a JSON object: { "calendars": {…}, "rules": […] }',
      position: 0
    };
  }
  return { ok: true, sla: value as CareSlaConfig };
}

const NUMBERS: [keyof CareForm, string][] = [
  ['costPhone', 'value.costPerContact.phone'],
  ['costChat', 'value.costPerContact.chat'],
  ['costEmail', 'value.costPerContact.email'],
  ['costSelfService', 'value.costPerContact.selfService'],
  ['socialProductivity', 'value.socialProductivity'],
  ['mixPhone', 'value.deflectionMix.phone'],
  ['mixChat', 'value.deflectionMix.chat'],
  ['mixEmail', 'value.deflectionMix.email']
];

/**
 * The body of the PUT for a form, or the first problem found before sending (an empty number,
 * a malformed "key = value" line, SLA JSON that does not parse), named like the server names
 * fields. Everything else (time zone, currency, ranges, the regular expression, the rules) is
 * left to the server, which says which field is wrong.
 */
export function settingsOf(
  f: CareForm
): { ok: true; settings: CareSettings } | { ok: false; problem: FormProblem; position?: number } {
  for (const [key, field] of NUMBERS) {
    const n = f[key];
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      return { ok: false, problem: { field, error: `${field}: must be a number` } };
    }
  }
  const names = parsePairs(f.names);
  if (!names.ok) {
    return {
      ok: false,
      problem: { field: 'agents.names', error: `agents.names: ${names.error}` }
    };
  }
  const teams = parsePairs(f.teams);
  if (!teams.ok) {
    return {
      ok: false,
      problem: { field: 'agents.teams', error: `agents.teams: ${teams.error}` }
    };
  }
  const sla = parseSlaJson(f.slaJson);
  if (!sla.ok) {
    return {
      ok: false,
      problem: { field: 'sla', error: `sla: ${sla.error}` },
      ...(sla.position !== null && { position: sla.position })
    };
  }
  const num = (n: number | null): number => n as number;
  return {
    ok: true,
    settings: {
      timeZone: f.timeZone.trim(),
      sla: sla.sla,
      agents: { signature: f.signature, names: names.map, teams: teams.map },
      value: {
        currency: f.currency.trim(),
        costPerContact: {
          phone: num(f.costPhone),
          chat: num(f.costChat),
          email: num(f.costEmail),
          selfService: num(f.costSelfService)
        },
        socialProductivity: num(f.socialProductivity),
        deflectionMix: {
          phone: fromPercent(num(f.mixPhone)),
          chat: fromPercent(num(f.mixChat)),
          email: fromPercent(num(f.mixEmail))
        }
      }
    }
  };
}

/** The sum of the deflection percentages, or null while one is empty. */
export function mixTotal(f: Pick<CareForm, 'mixPhone' | 'mixChat' | 'mixEmail'>): number | null {
  const parts = [f.mixPhone, f.mixChat, f.mixEmail];
  if (parts.some((p) => typeof p !== 'number' || !Number.isFinite(p))) return null;
  return Math.round((parts as number[]).reduce((a, b) => a + b, 0) * 1e6) / 1e6;
}

/** What a rule matches, in words: "tier celebrity or influencer · priority ≥ 70". */
export function describeMatch(match: CareSlaRule['match']): string {
  const parts: string[] = [];
  const list = (label: string, values: string[] | undefined) => {
    if (values?.length) parts.push(`${label} ${values.join(' or ')}`);
  };
  list('channel', match.channel);
  list('intent', match.intent);
  list('tier', match.tier);
  const { minPriority: min, maxPriority: max } = match;
  if (min !== undefined && max !== undefined) parts.push(`priority ${min}–${max}`);
  else if (min !== undefined) parts.push(`priority ≥ ${min}`);
  else if (max !== undefined) parts.push(`priority ≤ ${max}`);
  return parts.length ? parts.join(' · ') : 'every mention';
}

/** A target in minutes, readably: 15 → "15 min", 90 → "1 h 30 min", 2880 → "48 h". */
export function describeTarget(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** A rule's calendar in words: "24x7 (always open)", "business (Europe/London)". */
export function describeCalendar(name: string, sla: CareSlaConfig): string {
  if (name === ALWAYS_OPEN) return `${ALWAYS_OPEN} (always open)`;
  const cal = Object.hasOwn(sla.calendars, name) ? sla.calendars[name] : undefined;
  return cal ? `${name} (${cal.timeZone})` : name;
}

/** A small example of the SLA JSON, shown beside the editor. */
export const SLA_EXAMPLE = `{
  "calendars": {
    "business": {
      "timeZone": "Europe/London",
      "hours": { "mon": [["08:00", "20:00"]], "sat": [["10:00", "16:00"]] },
      "holidays": ["2025-12-25"]
    }
  },
  "rules": [
    { "id": "vip", "name": "VIP authors", "match": { "tier": ["celebrity", "influencer"] },
      "targetMinutes": 15, "calendar": "24x7" },
    { "id": "complaint", "name": "Complaints", "match": { "intent": ["complaint"] },
      "targetMinutes": 60, "calendar": "business" }
  ]
}`;
