import type { Handle } from '@sveltejs/kit';

/**
 * The Latin faces of Inter the pages use (400–700), as the build names them. Every page renders
 * in the browser, so without a preload a face is requested only once the page's script has
 * built text that needs it: about a second into a cold load of the wall, and then every
 * headline is laid out and painted again when it arrives. Preloaded, the faces load alongside
 * the scripts. The other subsets (Cyrillic, Greek, …) stay on demand.
 */
const LATIN_FACE = /\/inter-latin-\d+-normal\.[\w-]+\.woff2$/;

/** Preloads what SvelteKit preloads by default (scripts, styles) plus the Latin faces. */
export const handle: Handle = ({ event, resolve }) =>
  resolve(event, {
    preload: ({ type, path }) =>
      type === 'js' || type === 'css' || (type === 'font' && LATIN_FACE.test(path))
  });
