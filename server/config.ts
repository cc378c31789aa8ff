import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseConfigFile, type ConfigFile } from './core/tracking';
import { notifiersFromEnv } from './adapters/notifiers/from-env';
import { DEFAULT_SIMULATOR_OPTIONS } from './adapters/sources/simulator/generator';

const onOff = z
  .enum(['on', 'off', 'true', 'false', '1', '0'])
  .transform((v) => v === 'on' || v === 'true' || v === '1');

const handles = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean)
  )
  .pipe(z.array(z.string().regex(/^@?[A-Za-z0-9_.-]{1,100}$/, 'not a handle')).min(1));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BRAND_NAME: z.string().min(1).max(100).default('Northwind'),
  BRAND_HANDLES: handles.default(['@NorthwindHelp', '@Northwind']),
  SIMULATOR: onOff.default(true),
  SIMULATOR_RATE: z.coerce.number().min(0).max(100_000).default(5),
  SIMULATOR_SEED: z.coerce.number().int().default(42),
  SIMULATOR_TIME_SCALE: z.coerce.number().min(0.01).max(10_000).default(1),
  SIMULATOR_CRISIS_EVERY_S: z.coerce.number().min(0).default(300),
  INGEST_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  INGEST_HMAC_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  INGEST_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1_073_741_824)
    .default(5 * 1024 * 1024),
  INGEST_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(32),
  CONFIG: z.string().min(1).optional(),
  TICK_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .optional(),
  ALERT_EVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  RIVER_FLUSH_MS: z.coerce.number().int().min(50).max(10_000).default(250),
  WALL_PANELS_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  ADMIN_PASSWORD: z
    .string()
    .min(10, 'must be at least 10 characters')
    .max(200, 'must be at most 200 characters')
    .optional(),
  ANONYMOUS_ACCESS: z
    .enum(['loopback', 'off', 'all'], { error: 'must be loopback, off or all' })
    .default('loopback'),
  ALLOWED_ORIGINS: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean)
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(
            /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/,
            'each origin must be scheme://host[:port], e.g. https://wall.example.com'
          )
      )
    )
    .default([]),
  FRAME_ANCESTORS: z
    .string()
    .trim()
    .regex(
      /^('self'|'none'|https?:\/\/[A-Za-z0-9.*-]+(:\d{1,5})?)( ('self'|https?:\/\/[A-Za-z0-9.*-]+(:\d{1,5})?))*$/,
      "must be 'self', 'none', or space-separated origins such as 'self' https://intranet.example.com"
    )
    .default("'self'"),
  COOKIE_SECURE: onOff.optional()
});

/** The whole server configuration, read once from the environment. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  dbFile: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  brandName: string;
  brandHandles: string[];
  simulator: {
    enabled: boolean;
    rate: number;
    seed: number;
    timeScale: number;
    crisisEveryMs: number;
    /** Competitors the simulated stream names (and the wall tracks while nothing is configured). */
    competitors: readonly string[];
  };
  ingest: {
    token: string | null;
    hmacSecret: string | null;
    maxBytes: number;
    /** Uncommitted batches beyond which ingest answers 429. */
    maxInFlight: number;
  };
  /** Path of the optional JSON tracking and connector configuration (seeds SQLite at start). */
  configFile: string | null;
  /** `--replay <file> [--speed N] [--format F]`: stream recorded data live, shifted to now. */
  replay: ReplayOptions | null;
  tickMs: number;
  riverFlushMs: number;
  /** How often the wall's slower panels (`wall:panels`) are computed and sent, ms. */
  wallPanelsMs: number;
  /** Base of the links in notifications (PUBLIC_URL; default http://localhost:PORT). */
  publicUrl: string;
  /** The NOTIFY_* variables (notification channels, see adapters/notifiers/from-env.ts). */
  notify: Record<string, string>;
  /** How often alert rules are evaluated, ms. */
  alertEvalMs: number;
  /** Access control (server/core/auth, adapters/auth, http/gate.ts). */
  auth: {
    /** ADMIN_PASSWORD: creates the `admin` user on a first start. */
    adminPassword: string | null;
    /** Who may read without signing in: loopback clients (default), nobody, or everyone. */
    anonymous: 'loopback' | 'off' | 'all';
    /** Origins besides the server's own allowed to open sockets and send mutations. */
    allowedOrigins: string[];
    /** CSP frame-ancestors of the UI. */
    frameAncestors: string;
    /** Secure cookies (on by default when PUBLIC_URL is https). */
    secureCookies: boolean;
  };
}

/** Recorded-data formats the importer and the replay read. */
export const RECORD_FORMATS = ['ndjson', 'twcs', 'twitter-v2'] as const;

/** One recorded-data format. */
export type RecordFormat = (typeof RECORD_FORMATS)[number];

/** Settings of a replay. */
export interface ReplayOptions {
  file: string;
  /** 1 = real time; 60 = an hour of recording per minute. */
  speed: number;
  /** Detected from the file when absent. */
  format: RecordFormat | null;
}

/** Thrown when the environment holds a value that cannot be used; the message names it. */
export class ConfigError extends Error {}

/**
 * Reads the command line of `npm start`: `--replay <file> [--speed N] [--format F]`. Throws a
 * ConfigError naming the option on anything else.
 */
export function parseArgs(argv: readonly string[]): { replay: ReplayOptions | null } {
  let file: string | null = null;
  let speed = 1;
  let format: RecordFormat | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new ConfigError(`${a} needs a value`);
      return v;
    };
    if (a === '--replay') file = value();
    else if (a === '--speed') {
      const v = value();
      speed = Number(v);
      if (!Number.isFinite(speed) || speed <= 0 || speed > 1_000_000) {
        throw new ConfigError(`--speed must be a number above 0 (1 = real time), got ${v}`);
      }
    } else if (a === '--format') {
      const v = value();
      if (!(RECORD_FORMATS as readonly string[]).includes(v)) {
        throw new ConfigError(`--format must be one of ${RECORD_FORMATS.join(', ')}, got ${v}`);
      }
      format = v as RecordFormat;
    } else
      throw new ConfigError(
        `unknown option ${a}; npm start accepts --replay <file> [--speed N] [--format F]`
      );
  }
  if (file === null && (speed !== 1 || format !== null)) {
    throw new ConfigError('--speed and --format only apply with --replay <file>');
  }
  return { replay: file === null ? null : { file, speed, format } };
}

/** Reads and validates the configuration; the only place that looks at environment variables. */
export function loadConfig(
  env: Record<string, string | undefined>,
  argv: readonly string[] = []
): Config {
  const { replay } = parseArgs(argv);
  const picked: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') picked[key] = v;
  }
  const r = envSchema.safeParse(picked);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const notify: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (k.startsWith('NOTIFY_') && v) notify[k] = v;
  // Validated now, so a bad channel stops the start with a message (built again by the app).
  notifiersFromEnv(notify);
  const e = r.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    dbFile: join(e.DATA_DIR, 'mission-control.db'),
    logLevel: e.LOG_LEVEL,
    brandName: e.BRAND_NAME,
    brandHandles: e.BRAND_HANDLES,
    simulator: {
      enabled: e.SIMULATOR,
      rate: e.SIMULATOR_RATE,
      seed: e.SIMULATOR_SEED,
      timeScale: e.SIMULATOR_TIME_SCALE,
      crisisEveryMs: e.SIMULATOR_CRISIS_EVERY_S * 1000,
      competitors: DEFAULT_SIMULATOR_OPTIONS.competitors
    },
    ingest: {
      token: e.INGEST_TOKEN ?? null,
      hmacSecret: e.INGEST_HMAC_SECRET ?? null,
      maxBytes: e.INGEST_MAX_BYTES,
      maxInFlight: e.INGEST_MAX_IN_FLIGHT
    },
    configFile: e.CONFIG ?? null,
    replay,
    tickMs: e.TICK_MS,
    riverFlushMs: e.RIVER_FLUSH_MS,
    wallPanelsMs: e.WALL_PANELS_MS,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    notify,
    alertEvalMs: e.ALERT_EVAL_MS,
    auth: {
      adminPassword: e.ADMIN_PASSWORD ?? null,
      anonymous: e.ANONYMOUS_ACCESS,
      allowedOrigins: e.ALLOWED_ORIGINS,
      frameAncestors: e.FRAME_ANCESTORS,
      secureCookies: e.COOKIE_SECURE ?? e.PUBLIC_URL?.startsWith('https:') ?? false
    }
  };
}

/**
 * Reads the JSON file named by CONFIG (tracking and connectors). Throws a ConfigError that names
 * the file and every invalid field, so a typo stops the start with a message instead of a silent
 * default.
 */
export function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`CONFIG: cannot read ${path}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (err) {
    throw new ConfigError(`CONFIG: ${path} is not valid JSON: ${(err as Error).message}`);
  }
  const r = parseConfigFile(value);
  if (!r.ok) {
    throw new ConfigError(
      `Invalid configuration file ${path}:\n${r.errors.map((e) => `  ${e}`).join('\n')}`
    );
  }
  return r.config;
}
