import { convert } from 'html-to-text';

const OPTIONS = {
  wordwrap: false as const,
  selectors: [
    // Links keep their visible text only: Mastodon wraps mentions and hashtags in links.
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'script', format: 'skip' },
    { selector: 'style', format: 'skip' }
  ],
  // A hostile post could nest thousands of tags; past this depth the rest is dropped.
  limits: { maxDepth: 64, maxInputLength: 200_000 }
};

/**
 * Turns untrusted HTML (Mastodon `content`, RSS descriptions) into plain text: tags become line
 * breaks or nothing, entities are decoded, whitespace collapses. The result is still untrusted
 * text: the wall renders it as text, never as HTML.
 */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return html.trim();
  return convert(html, OPTIONS)
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
