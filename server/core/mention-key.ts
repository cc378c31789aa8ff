/** The last source's key prefix: mentions come in runs of one source. */
let lastSource = '';
let lastPrefix = '\u0000';

/**
 * Key of a mention where it is looked up by id without a row seq (`Pipeline.count`, for a drill's
 * mentions, which are never stored): ids are unique per source. The prefix (source and separator)
 * is built once per run of one source and shared. Stored mentions are found by their row seq
 * instead (ref-log.ts), with no string per mention.
 */
export function mentionKey(source: string, id: string): string {
  if (source !== lastSource) {
    lastSource = source;
    lastPrefix = source + '\u0000';
  }
  return lastPrefix + id;
}
