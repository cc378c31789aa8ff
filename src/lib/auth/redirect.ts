/** Whitespace other than the ASCII space (which `unsafeChar` catches by code). */
const WIDE_SPACE = /[\s\u200b-\u200f\u2028-\u202f\u2060\ufeff]/u;

/** True for control characters (C0, DEL, C1), spaces and backslashes. */
function unsafeChar(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x5c) return true;
  }
  return WIDE_SPACE.test(text);
}

/**
 * Where to go after signing in: `next` only when it is a path on this site, otherwise `/`.
 *
 * Accepted: a single leading `/` followed by anything but a second `/` or `\` (browsers treat
 * both as the start of another host), no scheme, no control or whitespace characters (browsers
 * strip tabs and newlines from URLs, so `/\t/evil.com` would become `//evil.com`), and no encoded
 * slash, backslash or control character in the path that a server or a later decode could turn
 * into one. Anything doubtful falls back to `/`.
 */
export function safeNext(next: string | null | undefined): string {
  const fallback = '/';
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return fallback;
  if (next[0] !== '/') return fallback;
  if (next[1] === '/' || next[1] === '\\') return fallback;
  if (unsafeChar(next)) return fallback;
  // The path part (before ? or #) must not hide a slash, backslash or control character, encoded
  // once or more (a proxy or a later decode could turn it into one).
  let path = next.split(/[?#]/, 1)[0]!;
  for (let round = 0; round < 4; round++) {
    if (/%2f|%5c/i.test(path)) return fallback;
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return fallback;
    }
    if (/^[/\\]{2}/.test(decoded) || unsafeChar(decoded)) return fallback;
    if (decoded === path) break;
    path = decoded;
  }
  // Resolve against a dummy origin: it must stay on that origin.
  try {
    const base = 'http://same.invalid';
    const url = new URL(next, base);
    if (url.origin !== base) return fallback;
    // Dot segments collapse on resolution: `/.//evil.example` resolves to the path
    // `//evil.example`, which a browser would read as another host.
    if (/^[/\\]{2}/.test(url.pathname)) return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}

/**
 * `/login?next=<path>` back to `url` (the current page), without its display token: a signed-in
 * user needs none, and it should not linger in the address bar.
 */
export function loginPath(url: { pathname: string; search: string; hash?: string }): string {
  const params = new URLSearchParams(url.search);
  params.delete('display');
  const query = params.toString();
  const back = safeNext(url.pathname + (query ? `?${query}` : '') + (url.hash ?? ''));
  return back === '/login' || back.startsWith('/login?')
    ? '/login'
    : `/login?next=${encodeURIComponent(back)}`;
}
