// The answers of the results requests of a process, kept per wave for one version of its
// sealed answers, so that the same request asked again (a dashboard reloaded, a second
// viewer, the page and its CSV) costs one read of the wave instead of the tables, the tests
// and the disclosure rules over again (issue 17: 3-9 times the bare read of the counts).
//
// When an answer may be reused: the version is the one the columnar copies use
// (columns/repository.ts): the sum of the wave's change counters, raised in the commit of
// every seal or load that adds responses, and answers_epoch, raised when answers are
// deleted; both are read with the wave in the request's one statement (findWaveWithState).
// The tallies are a function of the answers (tallies + queue = answers; a fold only moves
// rows between the two), so the same version gives the same counts, in every process.
// Everything else an answer depends on is in the key too: the wave's settings (minimum,
// mode, status, days, instrument version) and the request's own arguments. What is not in
// the answer (the wave's head: `awaiting`, its label) is filled in fresh on every read.
//
// What is never kept: an answer computed while the first day of results was not recorded
// yet (the service records it on the way), answers that depend on other waves (a
// comparison of waves, a series, the Valente summary and its previous wave) or hold free
// texts in a random order (the Weerman summary, texts), and an answer in which a Monte
// Carlo refinement ran out of time (doNotKeep): the next read may do better.
//
// Bounded: MAX_ANSWERS answers in all, least recently used waves first; a wave keeps the
// answers of its latest version only.
import { markInRead, markedInRead } from './one-read';

/** Most answers kept (a comparison of every item is some 300 kB of objects). */
const MAX_ANSWERS = 64;

const DO_NOT_KEEP = {};

/** The answer being computed in this read is not to be kept (a Monte Carlo job timed out). */
export function doNotKeep(): void {
  markInRead(DO_NOT_KEEP);
}

interface WaveAnswers {
  version: string;
  answers: Map<string, unknown>;
}

export interface ReadMemo {
  /** Whether it keeps anything (a limit of 0: no). */
  readonly enabled: boolean;
  /** The answer kept for this request at this version of the wave, if any. */
  get(waveId: string, version: string, request: string): unknown;
  /** Keeps an answer (frozen: those who read it share it), unless doNotKeep was called in this read. */
  keep(waveId: string, version: string, request: string, answer: object): void;
  /** Answers kept now (tests). */
  size(): number;
}

export function createReadMemo(maxAnswers = MAX_ANSWERS): ReadMemo {
  const waves = new Map<string, WaveAnswers>(); // in order of last use, oldest first
  let count = 0;
  return {
    enabled: maxAnswers > 0,
    get(waveId, version, request) {
      const wave = waves.get(waveId);
      if (!wave || wave.version !== version) return undefined;
      waves.delete(waveId);
      waves.set(waveId, wave);
      return wave.answers.get(request);
    },
    keep(waveId, version, request, answer) {
      if (markedInRead(DO_NOT_KEEP) || maxAnswers <= 0) return;
      let wave = waves.get(waveId);
      if (wave && wave.version !== version) {
        count -= wave.answers.size;
        wave = undefined;
      }
      if (!wave) wave = { version, answers: new Map() };
      waves.delete(waveId);
      waves.set(waveId, wave);
      if (!wave.answers.has(request)) count += 1;
      wave.answers.set(request, deepFreeze(answer));
      for (const [id, other] of waves) {
        if (count <= maxAnswers) break;
        if (other === wave) continue;
        count -= other.answers.size;
        waves.delete(id);
      }
      // One wave alone over the limit: its oldest answers go.
      for (const request of wave.answers.keys()) {
        if (count <= maxAnswers) break;
        wave.answers.delete(request);
        count -= 1;
      }
    },
    size: () => count,
  };
}

/** Frozen all the way down: a reader that changed a shared answer would change it for every later reader. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value as object)) deepFreeze(inner);
  }
  return value;
}
