/**
 * Key of a mention wherever mentions are looked up (the reply graph, the windows' unanswered
 * mentions, the care queue): ids are unique per source.
 */
export function mentionKey(source: string, id: string): string {
  return source + '\u0000' + id;
}
