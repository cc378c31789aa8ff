/** The last source's key prefix: mentions come in runs of one source. */
let lastSource = '';
let lastPrefix = '\u0000';

/**
 * Key of a mention wherever mentions are looked up (the reply graph, the windows' unanswered
 * mentions, the care queue): ids are unique per source. The prefix (source and separator) is
 * built once per run of one source and shared: built per key, it was one more small string per
 * mention, hundreds of thousands of them held by the wall's thread under a firehose.
 */
export function mentionKey(source: string, id: string): string {
  if (source !== lastSource) {
    lastSource = source;
    lastPrefix = source + '\u0000';
  }
  return lastPrefix + id;
}
