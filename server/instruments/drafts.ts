// Instruments checked on the upload page but not yet published: kept in this process's
// memory only (never in the database), for the one member of staff who uploaded them, so
// that they can be previewed as a respondent sees them and then published. A draft is gone
// after an hour, on a restart, or once 100 newer drafts exist.
import crypto from 'node:crypto';
import type { InstrumentFile } from './instrument-file';

export interface Draft {
  id: string;
  userId: string;
  /** What was uploaded, as parsed JSON: published as it is. */
  body: unknown;
  key: string | undefined;
  organisationId: string | undefined;
  file: InstrumentFile;
  expiresAt: number;
}

const TTL_MS = 60 * 60 * 1000;
const MAX_DRAFTS = 100;

export function createDraftStore(now: () => number = Date.now) {
  const drafts = new Map<string, Draft>();
  const sweep = () => {
    for (const [id, draft] of drafts) if (draft.expiresAt <= now()) drafts.delete(id);
    while (drafts.size >= MAX_DRAFTS) drafts.delete(drafts.keys().next().value as string);
  };
  return {
    add(input: Omit<Draft, 'id' | 'expiresAt'>): Draft {
      sweep();
      const draft = { ...input, id: crypto.randomBytes(16).toString('base64url'), expiresAt: now() + TTL_MS };
      drafts.set(draft.id, draft);
      return draft;
    },
    /** The draft, for whoever holds its id (the respondent view of a preview sends no cookie). */
    get(id: string): Draft | undefined {
      const draft = drafts.get(id);
      return draft && draft.expiresAt > now() ? draft : undefined;
    },
    /** The draft, for the member of staff who made it only. */
    getFor(userId: string, id: string): Draft | undefined {
      const draft = this.get(id);
      return draft && draft.userId === userId ? draft : undefined;
    },
    remove(id: string): void {
      drafts.delete(id);
    },
  };
}

export type DraftStore = ReturnType<typeof createDraftStore>;
