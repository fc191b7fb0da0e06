/** A resolved tag: what workers and agent tokens list, and what a queued job carries. */
export const TAG_PATTERN = /^[A-Za-z0-9_.:-]{1,100}$/;

export function isValidTag(tag: string): boolean {
  return TAG_PATTERN.test(tag);
}

/** Tags reserved for normal workers: the flow state machine and dependency jobs. */
export function isNormalWorkerOnlyTag(tag: string): boolean {
  return tag === 'flow' || tag === 'dependency' || tag.startsWith('flow-') || tag.startsWith('dependency-');
}

/** Does a worker serving `workerTags` take a job tagged `jobTag`? Tags match exactly. */
export function tagMatches(workerTags: readonly string[], jobTag: string): boolean {
  return workerTags.includes(jobTag);
}
