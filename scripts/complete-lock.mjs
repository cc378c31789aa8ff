// Completes package-lock.json with the platform-specific optional packages npm left out
// (npm/cli#4828): npm 11's `npm ci` insists that every optional dependency of, say, rollup has an
// entry, but a registry that serves only the Linux builds makes `npm install` drop the others.
// Each added entry carries its os/cpu/libc, so `npm ci` skips it on other platforms without
// fetching it. Run after `npm install` changes the lock: `node scripts/complete-lock.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const pkgs = lock.packages;
const OS = [
  'android',
  'darwin',
  'freebsd',
  'linux',
  'openbsd',
  'openharmony',
  'win32',
  'sunos',
  'aix',
  'netbsd'
];
const CPU = [
  'arm64',
  'arm',
  'x64',
  'ia32',
  'loong64',
  'ppc64',
  'riscv64',
  's390x',
  'mips64el',
  'wasm32'
];
let added = 0;

for (const [path, meta] of Object.entries(pkgs)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const base = path === '' ? '' : `${path}/`;
    if (pkgs[`${base}node_modules/${name}`] || pkgs[`node_modules/${name}`]) continue;
    const parts = name.split('/').pop().split('-');
    const os = parts.find((p) => OS.includes(p));
    const cpu = parts.find((p) => CPU.includes(p)) ?? (parts.includes('arm') ? 'arm' : undefined);
    if (!os || !cpu) continue;
    const musl = parts.includes('musl') || parts.includes('musleabihf');
    const glibc = os === 'linux' && (parts.includes('gnu') || parts.includes('gnueabihf'));
    // Keys in the order npm itself writes them, so a later `npm install` leaves the lock alone.
    pkgs[`node_modules/${name}`] = {
      version,
      cpu: [cpu],
      ...(meta.dev ? { dev: true } : {}),
      ...(musl ? { libc: ['musl'] } : glibc ? { libc: ['glibc'] } : {}),
      optional: true,
      os: [os]
    };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1))
);
writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
console.log(`complete-lock: added ${added} platform-specific optional entries`);
