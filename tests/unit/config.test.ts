import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseArgs, readConfigFile } from '../../server/config';

describe('loadConfig(env)', () => {
  it('has working defaults for a fresh machine', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      dataDir: './data',
      brandHandles: ['@NorthwindHelp', '@Northwind'],
      simulator: { enabled: true, rate: 5, timeScale: 1, competitors: ['Contoso', 'Fabrikam'] }
    });
    expect(c.dbFile).toMatch(/data[/\\]mission-control\.db$/);
  });

  it.each([
    [{ SIMULATOR: 'off' }, (c: ReturnType<typeof loadConfig>) => c.simulator.enabled, false],
    [{ SIMULATOR_RATE: '50' }, (c: ReturnType<typeof loadConfig>) => c.simulator.rate, 50],
    [
      { BRAND_HANDLES: '@a, b ,@c' },
      (c: ReturnType<typeof loadConfig>) => c.brandHandles,
      ['@a', 'b', '@c']
    ],
    [{ PORT: '0' }, (c: ReturnType<typeof loadConfig>) => c.port, 0],
    [{ PORT: '' }, (c: ReturnType<typeof loadConfig>) => c.port, 3000]
  ])('reads %j', (env, pick, expected) => {
    expect(pick(loadConfig(env))).toEqual(expected);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ SIMULATOR: 'maybe' }, 'SIMULATOR'],
    [{ SIMULATOR_RATE: '-1' }, 'SIMULATOR_RATE'],
    [{ BRAND_HANDLES: ' , ' }, 'BRAND_HANDLES'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL']
  ])('refuses %j with an error naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(name));
  });
});

describe('parseArgs (npm start -- …)', () => {
  it.each([
    [[], null],
    [['--replay', 'x.ndjson'], { file: 'x.ndjson', speed: 1, format: null }],
    [
      ['--replay', 'x.csv', '--speed', '60', '--format', 'twcs'],
      { file: 'x.csv', speed: 60, format: 'twcs' }
    ],
    [['--speed', '0.5', '--replay', 'v2.jsonl'], { file: 'v2.jsonl', speed: 0.5, format: null }]
  ])('%j → %j', (argv, replay) => {
    expect(parseArgs(argv).replay).toEqual(replay);
  });

  it.each([
    [['--replay'], '--replay needs a value'],
    [['--replay', 'f', '--speed', '0'], '--speed must be a number above 0'],
    [['--replay', 'f', '--speed', 'fast'], '--speed must be a number above 0'],
    [['--replay', 'f', '--format', 'xml'], '--format must be one of ndjson, twcs, twitter-v2'],
    [['--speed', '2'], '--speed and --format only apply with --replay'],
    [['--loop'], 'unknown option --loop']
  ])('refuses %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(ConfigError);
    expect(() => parseArgs(argv)).toThrow(message);
  });

  it('is part of loadConfig', () => {
    expect(loadConfig({}, ['--replay', 'a.ndjson']).replay?.file).toBe('a.ndjson');
    expect(loadConfig({ CONFIG: 'mc.json' }).configFile).toBe('mc.json');
  });
});

describe('readConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mc-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('reads a valid file', () => {
    const file = write('ok.json', JSON.stringify({ keywords: ['northwind'] }));
    expect(readConfigFile(file)).toMatchObject({ keywords: ['northwind'], sources: {} });
  });

  it.each([
    ['missing.json', null, 'cannot read'],
    ['broken.json', '{"keywords": [', 'is not valid JSON'],
    ['bad.json', JSON.stringify({ keywords: [1], sources: { rss: {} } }), 'keywords.0'],
    ['bad2.json', JSON.stringify({ sources: { rss: {} } }), 'sources.rss.feeds']
  ])('%s: a clear error naming the file and field', (name, text, message) => {
    const file = text === null ? join(dir, name) : write(name, text);
    expect(() => readConfigFile(file)).toThrow(ConfigError);
    expect(() => readConfigFile(file)).toThrow(message);
    expect(() => readConfigFile(file)).toThrow(file);
  });
});
