import { MAX_JSON_DEPTH } from '@avsb/protocol';

/**
 * The message of a body or document that nests too deeply (`nestsDeeperThan`, `@avsb/protocol`): request bodies and
 * documents nest at most as deep as the protocol's limit for datafiles and contexts (SPEC.md §10), so nothing deeper is
 * ever stored.
 */
export function tooDeepMessage(what: string, limit: number = MAX_JSON_DEPTH): string {
  return `${what} nests objects and arrays deeper than ${limit} levels (the limit)`;
}
