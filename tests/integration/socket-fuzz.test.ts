import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCKET_ACCESS } from '../../server/core/auth/access';
import type { AlertView } from '../../src/lib/shared/types';
import { makeMention } from '../helpers/fixtures';
import { mulberry32 } from '../helpers/random';
import {
  connectClient,
  nextEvent,
  startTestServer,
  tempDataDir,
  waitFor,
  type TestServer,
  type WallClient
} from '../helpers/test-server';

/*
 * A bounded, seeded fuzz run against every client→server Socket.IO event: malformed payloads
 * from an authorised (admin API token) and an anonymous socket. The server must answer each with
 * `{ ok: false, error }` (or drop it), change nothing, stay up, and keep serving normal clients.
 */

const SEED = 0x5eed_f022;
/** Payloads with an ack, spread over short-lived sockets (each stays under the burst limit). */
const PAYLOADS = 3000;
/** Events per socket: below the per-socket burst (20), so payloads reach validation. */
const PER_SOCKET = 18;
const CONCURRENT_SOCKETS = 8;
const ACK_TIMEOUT_MS = 3000;
/** The transport's limit (maxHttpBufferSize). */
const TRANSPORT_LIMIT = 16 * 1024;

type EventName = keyof typeof SOCKET_ACCESS;
const EVENTS = Object.keys(SOCKET_ACCESS) as EventName[];
const ACTION_EVENTS = EVENTS.filter((e) => e !== 'wall:resync');

/** An untyped client: the fuzzer sends what the typed contract would not allow. */
type LooseSocket = Socket;

let server: TestServer;
let cleanup: () => void;
let alertId = '';

const auth = (): Record<string, string> => ({ authorization: `Bearer ${server.adminToken}` });

/** The user-visible state of every alert (what an action would change), and the rules. */
async function state(): Promise<{ alerts: unknown[]; rules: unknown }> {
  const a = await fetch(`${server.url}/api/v1/alerts?state=all`, { headers: auth() });
  const r = await fetch(`${server.url}/api/v1/rules`, { headers: auth() });
  expect(a.status).toBe(200);
  expect(r.status).toBe(200);
  const { alerts } = (await a.json()) as { alerts: AlertView[] };
  return {
    alerts: alerts
      .map((x) => ({
        id: x.id,
        state: x.state,
        acknowledgedBy: x.acknowledgedBy,
        resolvedBy: x.resolvedBy,
        snoozedUntil: x.snoozedUntil,
        assignee: x.assignee,
        // Entries made by someone (actions and notes), not the evaluator's own.
        actions: x.timeline.filter((t) => t.by !== null)
      }))
      .sort((p, q) => p.id.localeCompare(q.id)),
    rules: await r.json()
  };
}

/** Opens a socket and waits until it is connected. */
async function open(token?: string): Promise<LooseSocket> {
  const s = connectClient(server.url, false, token ? { token } : {}) as unknown as LooseSocket;
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', (err: Error) => reject(err));
  });
  return s;
}

type Reply = { kind: 'ack'; value: unknown } | { kind: 'none' };

/** Emits with an ack and waits for it (or gives up after the timeout). */
function request(s: LooseSocket, event: string, args: unknown[]): Promise<Reply> {
  return new Promise((resolve) => {
    s.timeout(ACK_TIMEOUT_MS).emit(event, ...args, (err: Error | null, value: unknown) => {
      resolve(err ? { kind: 'none' } : { kind: 'ack', value });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Payloads

/** Nested arrays or objects, `depth` levels deep. */
function deep(depth: number, object: boolean): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = object ? { a: v } : [v];
  return v;
}

/** Characters the junk strings are made of: ASCII, markup, controls, bidi, astral, lone surrogates. */
const ALPHABET = ['a', 'Z', '0', ' ', '<', '"', '\\', '\u0000', '\u202e', '😀', '\ud800', '%'];
let pool = '';

/** A string of `n` characters (n ≤ 17,000) cut from a seeded pool of junk. */
function junk(random: () => number, n: number): string {
  if (pool.length === 0) {
    const r = mulberry32(SEED ^ 0x9e37);
    const parts: string[] = [];
    for (let i = 0; i < 40_000; i++) parts.push(ALPHABET[Math.floor(r() * ALPHABET.length)]!);
    pool = parts.join('');
  }
  const offset = Math.floor(random() * (pool.length - n));
  return pool.slice(offset, offset + n);
}

const polluting = (): unknown[] => [
  JSON.parse('{"__proto__":{"polluted":"yes"}}') as unknown,
  { constructor: { prototype: { polluted: 'yes' } } },
  JSON.parse('{"__proto__":{"__proto__":{"polluted":"yes"}}}') as unknown,
  { prototype: { polluted: 'yes' } }
];

/** Values that are never an object payload. */
function nonObjects(random: () => number): unknown[] {
  return [
    null,
    undefined,
    0,
    -1,
    1.5,
    Number.MAX_VALUE,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    true,
    false,
    '',
    'alert',
    junk(random, 200),
    [],
    [{ id: alertId }],
    [alertId, 'by'],
    Buffer.from('binary'),
    new Uint8Array([0, 1, 2, 255]),
    deep(500, false)
  ];
}

/** Values each field refuses (per the transport's schemas); `assignee: null` is valid, so absent. */
function badValues(random: () => number, field: string): unknown[] {
  const common: unknown[] = [
    0,
    -1,
    true,
    [],
    {},
    [alertId],
    { toString: alertId },
    Buffer.from(alertId),
    deep(200, true),
    deep(200, false),
    ...polluting()
  ];
  switch (field) {
    case 'id':
      return [...common, null, '', 'x'.repeat(201), junk(random, 15_000)];
    case 'by':
      return [...common, null, '', '   ', 'x'.repeat(81), junk(random, 15_800)];
    case 'note':
      return [...common, null, 'x'.repeat(2001), junk(random, 16_000)];
    case 'minutes':
      return [
        0,
        -1,
        1.5,
        10_081,
        1e308,
        -0,
        null,
        '30',
        [30],
        { valueOf: 30 },
        true,
        Buffer.from([30])
      ];
    case 'assignee':
      return [...common, 'x'.repeat(81), `  ${'y'.repeat(81)}  `, junk(random, 16_100)];
    case 'text':
      return [...common, null, '', 'x'.repeat(2001), junk(random, 16_200)];
    default:
      return common;
  }
}

/** The fields of each action event: required first, then optional. */
const FIELDS: Record<string, { required: string[]; optional: string[] }> = {
  'alert:ack': { required: ['id'], optional: ['by'] },
  'alert:resolve': { required: ['id'], optional: ['by', 'note'] },
  'alert:snooze': { required: ['id', 'minutes'], optional: ['by'] },
  'alert:assign': { required: ['id', 'assignee'], optional: ['by'] },
  'alert:note': { required: ['id', 'text'], optional: ['by'] },
  'wall:resync': { required: [], optional: [] }
};

/** Keys no event takes: any of them makes a payload invalid (the schemas are strict). */
const EXTRA_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '$where',
  'state',
  'kind',
  'admin',
  '',
  'id ',
  'ID'
];

/** A valid payload for an action event (on the real alert, or another id). */
function validBase(event: string, id: string): Record<string, unknown> {
  switch (event) {
    case 'alert:snooze':
      return { id, minutes: 30 };
    case 'alert:assign':
      return { id, assignee: 'fuzz' };
    case 'alert:note':
      return { id, text: 'fuzz note' };
    case 'alert:resolve':
      return { id, note: 'fuzz' };
    default:
      return { id };
  }
}

/**
 * One invalid payload for `event`: a valid one with one to three invalidating mutations (a
 * non-object, a required field removed, a field set to a value it refuses, an unknown key).
 */
function invalidPayload(random: () => number, event: string): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  if (event === 'wall:resync') {
    // Its request is ignored: anything goes, so anything is sent.
    return pick([...nonObjects(random), ...polluting(), { huge: junk(random, 15_000) }]);
  }
  const id = random() < 0.6 ? alertId : pick(['nope', 'a-1', junk(random, 20)]);
  let payload: unknown = validBase(event, id);
  const mutations = 1 + Math.floor(random() * 3);
  const fields = FIELDS[event]!;
  for (let m = 0; m < mutations; m++) {
    const kind = Math.floor(random() * 4);
    const obj =
      typeof payload === 'object' && payload !== null && !Array.isArray(payload)
        ? (payload as Record<string, unknown>)
        : null;
    if (kind === 0 || !obj) {
      payload = pick(nonObjects(random));
    } else if (kind === 1) {
      delete obj[pick(fields.required)];
    } else if (kind === 2) {
      const field = pick([...fields.required, ...fields.optional]);
      obj[field] = pick(badValues(random, field));
    } else {
      Object.defineProperty(obj, pick(EXTRA_KEYS), {
        value: pick([1, 'x', null, ...polluting()]),
        enumerable: true,
        configurable: true,
        writable: true
      });
    }
  }
  return payload;
}

/** JSON-ish size of a payload (to keep the fuzz run's own payloads under the transport limit). */
function size(v: unknown): number {
  try {
    return (
      JSON.stringify(v, (_k, x: unknown) => (x instanceof Uint8Array ? [...x] : x))?.length ?? 0
    );
  } catch {
    return 0;
  }
}

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  const d = tempDataDir();
  cleanup = d.cleanup;
  server = await startTestServer(d.dir, { ALERT_EVAL_MS: '250' });
  // A real alert to aim at: the crisis keyword rule fires on five "recall" mentions.
  await server.source.push(
    Array.from({ length: 6 }, (_, i) => makeMention({ text: `Is there a recall? ${i}` }))
  );
  alertId = await waitFor(async () => {
    const res = await fetch(`${server.url}/api/v1/alerts?state=all`, { headers: auth() });
    const { alerts } = (await res.json()) as { alerts: AlertView[] };
    return alerts.find((a) => a.ruleId === 'default-keyword-watchlist')?.id ?? '';
  }, 10_000);
});

afterAll(async () => {
  await server?.close();
  cleanup?.();
});

describe('Socket.IO fuzzing', () => {
  it('refuses thousands of malformed payloads on every event, changing nothing', async () => {
    const random = mulberry32(SEED);
    const before = await state();
    const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort();

    // Build the whole run first (seeded: the same payloads every time).
    interface Job {
      event: string;
      payload: unknown;
      anonymous: boolean;
    }
    const sessions: Job[][] = [];
    let total = 0;
    while (total < PAYLOADS) {
      const anonymous = random() < 0.25;
      const jobs: Job[] = [];
      for (let i = 0; i < PER_SOCKET && total < PAYLOADS; i++, total++) {
        const event = EVENTS[Math.floor(random() * EVENTS.length)]!;
        let payload = invalidPayload(random, event);
        // Over-limit payloads get their own test below: they cost the socket its connection.
        if (size(payload) > TRANSPORT_LIMIT - 512) payload = { id: 'x'.repeat(300) };
        jobs.push({ event, payload, anonymous });
      }
      sessions.push(jobs);
    }

    const problems: string[] = [];
    const counts = { acks: 0, refusedInvalid: 0, refusedUnauthorised: 0, resyncOk: 0 };
    const show = (j: Job, r: Reply): string =>
      `${j.anonymous ? 'anonymous' : 'admin'} ${j.event} ${JSON.stringify(j.payload)?.slice(0, 200)} → ${JSON.stringify(r).slice(0, 200)}`;

    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < sessions.length) {
        const jobs = sessions[next++]!;
        const anonymous = jobs[0]!.anonymous;
        const s = await open(anonymous ? undefined : server.adminToken);
        try {
          const replies = await Promise.all(jobs.map((j) => request(s, j.event, [j.payload])));
          // Events without an ack, or with something else in its place: silently dropped.
          for (const j of jobs.slice(0, 3)) {
            s.emit(j.event, j.payload);
            s.emit(j.event, j.payload, 'not a function');
            s.emit(j.event, j.payload, { ack: true }, 42);
          }
          replies.forEach((r, i) => {
            const j = jobs[i]!;
            if (r.kind !== 'ack') return problems.push(`no ack: ${show(j, r)}`);
            counts.acks++;
            const v = r.value as { ok?: unknown; error?: unknown; data?: unknown } | null;
            const refused =
              typeof v === 'object' &&
              v !== null &&
              v.ok === false &&
              typeof v.error === 'string' &&
              Object.keys(v).sort().join() === 'error,ok';
            if (j.event === 'wall:resync') {
              // Its request is ignored: a snapshot, or a refusal (rate limit).
              if (v?.ok === true && typeof v.data === 'object') counts.resyncOk++;
              else if (!refused) problems.push(`odd resync answer: ${show(j, r)}`);
              return;
            }
            if (!refused) return problems.push(`not refused: ${show(j, r)}`);
            const error = v.error as string;
            if (/internal error/i.test(error)) problems.push(`server error: ${show(j, r)}`);
            if (j.anonymous) {
              counts.refusedUnauthorised++;
              if (!error.startsWith('unauthorised')) {
                problems.push(`anonymous not refused as unauthorised: ${show(j, r)}`);
              }
            } else {
              counts.refusedInvalid++;
              if (/^(unauthorised|forbidden|rate limited)/.test(error)) {
                problems.push(`admin refused for the wrong reason: ${show(j, r)}`);
              }
            }
          });
        } finally {
          s.disconnect();
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENT_SOCKETS }, worker));

    expect(problems.slice(0, 20)).toEqual([]);
    expect(counts.acks).toBe(PAYLOADS);
    expect(counts.refusedInvalid).toBeGreaterThan(PAYLOADS / 2);
    expect(counts.refusedUnauthorised).toBeGreaterThan(100);

    // Nothing changed; nothing polluted; the server still answers.
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await state()).toEqual(before);
  });

  it('drops payloads over the 16 KB transport limit by closing the connection', async () => {
    const before = await state();
    for (const [i, length] of [TRANSPORT_LIMIT + 1, 17_000, 64 * 1024, 1024 * 1024].entries()) {
      const s = await open(server.adminToken);
      const gone = new Promise<string>((resolve) =>
        s.once('disconnect', (r: string) => resolve(r))
      );
      const event = ACTION_EVENTS[i % ACTION_EVENTS.length]!;
      const huge = i % 2 === 0 ? 'x'.repeat(length) : Buffer.alloc(length, 0x41);
      const reply = await request(s, event, [{ id: alertId, text: huge, note: huge }]);
      expect(reply).toEqual({ kind: 'none' });
      expect(await gone).toMatch(/transport (close|error)/);
      s.disconnect();
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await state()).toEqual(before);
  });

  it('refuses a socket with an invalid token at the handshake', async () => {
    const err = await open('not-a-real-token').then(
      (s) => {
        s.disconnect();
        return null;
      },
      (e: Error) => e
    );
    expect(err?.message).toMatch(/^unauthorised/);
  });

  it('rate-limits a burst and disconnects a socket that keeps abusing', async () => {
    const s = await open(server.adminToken);
    const gone = new Promise<string>((resolve) => s.once('disconnect', (r: string) => resolve(r)));
    const burst = await Promise.all(
      Array.from({ length: 200 }, () => request(s, 'wall:resync', [{}]))
    );
    const values = burst.map((r) =>
      r.kind === 'ack' ? (r.value as { ok: boolean; error?: string }) : null
    );
    const limited = values.filter((v) => v?.ok === false && /^rate limited/.test(v.error ?? ''));
    const served = values.filter((v) => v?.ok === true);
    expect(limited.length).toBeGreaterThan(100);
    expect(served.length).toBeGreaterThan(0);
    expect(served.length).toBeLessThanOrEqual(40);
    // Keep going: past 200 refusals the server hangs up.
    let sent = 0;
    let reason: string | null = null;
    void gone.then((r) => (reason = r));
    while (reason === null && sent < 2000) {
      s.emit('wall:resync', {}, () => undefined);
      sent++;
      if (sent % 50 === 0) await new Promise((r) => setTimeout(r, 10));
    }
    expect(await gone).toBe('io server disconnect');
    expect(sent).toBeLessThan(2000);
    s.disconnect();
  });

  it('still serves normal clients afterwards', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const c: WallClient = connectClient(server.url, false, { token: server.adminToken });
    try {
      const tick = await nextEvent(c, 'wall:tick', 5000);
      expect(tick).toBeTruthy();
      const resync = await c.timeout(3000).emitWithAck('wall:resync', {});
      expect(resync.ok).toBe(true);
    } finally {
      c.disconnect();
    }
    const anon = connectClient(server.url);
    try {
      expect(await nextEvent(anon, 'wall:snapshot', 5000)).toBeTruthy();
    } finally {
      anon.disconnect();
    }
  });
});
