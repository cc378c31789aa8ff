import { SCENES, type Scene } from '$lib/shared/types';

/**
 * The scene the wall shows: the one its display link is pinned to, else `?scene=` in the URL,
 * else the overview. Unknown names fall back to the overview.
 */
export function sceneOf(search: string, pinned: string | null): Scene {
  const wanted = pinned ?? new URLSearchParams(search).get('scene');
  return (SCENES as readonly string[]).includes(wanted ?? '') ? (wanted as Scene) : 'overview';
}
