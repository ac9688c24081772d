// Instruments checked on the upload page but not yet published, for the one member of staff
// who uploaded them, so that they can be previewed as a respondent sees them and then
// published. In the database (draft-repository.ts), not in a process's memory: with several
// processes behind a load balancer the preview, its send and the publish step may each land
// on another process than the check. A draft is gone after an hour, once published, with its
// account, or once 100 newer drafts exist; expired ones are deleted when one is added.
import crypto from 'node:crypto';
import type { DraftRecord, DraftRepository } from './draft-repository';
import type { InstrumentFile } from './instrument-file';

export type Draft = DraftRecord;

export const DRAFT_TTL_MS = 60 * 60 * 1000;
const MAX_DRAFTS = 100;

export function createDraftStore(repository: DraftRepository, now: () => number = Date.now) {
  return {
    async add(input: { userId: string; body: unknown; key: string | undefined; organisationId: string | undefined; file: InstrumentFile }): Promise<Draft> {
      const at = now();
      // Room for the new one among the newest MAX_DRAFTS.
      await repository.purge(at, MAX_DRAFTS - 1);
      const draft: Draft = { ...input, id: crypto.randomBytes(16).toString('base64url'), createdAt: at, expiresAt: at + DRAFT_TTL_MS };
      await repository.insert(draft);
      return draft;
    },
    /** The draft, for whoever holds its id (the respondent view of a preview sends no cookie). */
    async get(id: string): Promise<Draft | undefined> {
      return (await repository.find(id, now())) ?? undefined;
    },
    /** The draft, for the member of staff who made it only. */
    async getFor(userId: string, id: string): Promise<Draft | undefined> {
      const draft = await this.get(id);
      return draft && draft.userId === userId ? draft : undefined;
    },
    async remove(id: string): Promise<void> {
      await repository.remove(id);
    },
  };
}

export type DraftStore = ReturnType<typeof createDraftStore>;
