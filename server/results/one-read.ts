// One read: a results request (service.ts runs each entry point as one). Work that a request
// would otherwise repeat for each of its counts is done once per read: finding the wave and
// sealing what is due, folding the wave's tally queue, bringing its columnar copy up to date
// (columns/cache.ts). A summary makes some forty counts; on a loaded machine each round trip
// to the database costs more than the counting itself. Done once, they also give the read's
// counts one state of the answers (a seal in between no longer shows in half of them).
import { AsyncLocalStorage } from 'node:async_hooks';

interface Read {
  done: Map<string, Promise<unknown>>;
  /** Anything a module keeps for the read (columns/cache.ts: the copies brought up to date). */
  marks: Set<object>;
}

const current = new AsyncLocalStorage<Read>();

/** Runs work as one read; nested calls join the outer read. */
export function asOneRead<T>(work: () => Promise<T>): Promise<T> {
  return current.getStore() ? work() : current.run({ done: new Map(), marks: new Set() }, work);
}

/** The work's promise, once per read and key (every time outside a read). A failure is not kept: the next call tries again. */
export function oncePerRead<T>(key: string, work: () => Promise<T>): Promise<T> {
  const read = current.getStore();
  if (!read) return work();
  let done = read.done.get(key) as Promise<T> | undefined;
  if (!done) {
    done = work();
    read.done.set(key, done);
    done.catch(() => read.done.delete(key));
  }
  return done;
}

/** Whether `thing` was marked within this read (false outside a read). */
export function markedInRead(thing: object): boolean {
  return current.getStore()?.marks.has(thing) ?? false;
}

export function markInRead(thing: object): void {
  current.getStore()?.marks.add(thing);
}

/** Records the outcome of a key's work without running it (it is known already), unless it ran in this read. */
export function settledInRead<T>(key: string, value: T): void {
  const read = current.getStore();
  if (read && !read.done.has(key)) read.done.set(key, Promise.resolve(value));
}
