import type { ClientInit } from '@sveltejs/kit';
import { base } from '$app/paths';
import { openWallSocketEarly } from '$lib/auth/socket';

/**
 * Runs once as the app starts, before the first page's code has loaded. On the wall (`/`) its
 * socket opens now, so the first numbers are not held up by the wall's scripts (bench:wall's
 * first data); the wall takes the socket, and the events it has received, when it mounts.
 */
export const init: ClientInit = () => {
  if (location.pathname === `${base}/`) openWallSocketEarly();
};
