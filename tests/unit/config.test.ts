import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';

describe('loadConfig(env)', () => {
  it('has working defaults for a fresh machine', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      dataDir: './data',
      brandHandles: ['@NorthwindHelp', '@Northwind'],
      simulator: { enabled: true, rate: 5, timeScale: 1 }
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
