// Error answers list the first errors and count the rest. A body can be built to fail in
// every one of its thousands of keys (12,000 unknown keys once gave a 913 KB answer): the
// whole list costs memory and bandwidth, and no person reads past the first screen of it.
export const MAX_LISTED_ERRORS = 50;

/** The first errors, and how many more there were (only when there were more). */
export function listedErrors<E>(errors: readonly E[]): { errors: E[]; moreErrors?: number } {
  if (errors.length <= MAX_LISTED_ERRORS) return { errors: [...errors] };
  return { errors: errors.slice(0, MAX_LISTED_ERRORS), moreErrors: errors.length - MAX_LISTED_ERRORS };
}
