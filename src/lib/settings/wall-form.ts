import type { WallConfig } from '$lib/shared/types';

/** The configuration as the editor shows it: indented JSON, as exported. */
export function wallJson(config: WallConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Parses the editor's text; a syntax error is reported in words, with its position. */
export function parseWallJson(
  text: string
): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return {
      ok: false,
      error: `Not valid JSON: ${err instanceof Error ? err.message : String(err)}`
    };
  }
}

/** Offers `text` as a file download named `name`. */
export function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The wall's address for a playlist or a scene, with kiosk mode for a screen nobody touches. */
export function wallLink(kind: 'playlist' | 'scene', id: string, kiosk: boolean): string {
  return `/?${kind}=${encodeURIComponent(id)}${kiosk ? '&kiosk' : ''}`;
}
