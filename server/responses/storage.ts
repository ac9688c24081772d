// Storing a prepared response: the response with its answer rows, then the contact details
// apart. Submissions (one at a time or group-committed), CSV imports and the demo all store
// through here, inside the caller's transaction, so they keep the same rules.
import crypto from 'node:crypto';
import type { Repositories } from '../store';
import type { PreparedResponse } from './service';

type Prepared = Extract<PreparedResponse, { ok: true }>;

export interface ResponseToStore {
  waveId: string;
  prepared: Prepared;
  submissionId: string;
  submittedOn: string;
  invitationId?: string | null;
}

const newResponse = (r: ResponseToStore) => ({
  id: crypto.randomUUID(), waveId: r.waveId, invitationId: r.invitationId ?? null, submissionId: r.submissionId,
  submittedOn: r.submittedOn, data: r.prepared.data, answers: r.prepared.answers,
});

/**
 * Stores one response. 'duplicate' when this submission was stored before, also by another
 * process at the same moment; nothing changes then.
 */
export async function storeResponse(repos: Repositories, response: ResponseToStore): Promise<'stored' | 'duplicate'> {
  const outcome = await repos.responses.insert(newResponse(response));
  if (outcome === 'stored' && response.prepared.contact) await repos.contacts.add(response.waveId, response.prepared.contact);
  return outcome;
}

/** Stores many at once, in a few statements (group commit); an outcome per response, in order. */
export async function storeResponses(repos: Repositories, responses: readonly ResponseToStore[]): Promise<Array<'stored' | 'duplicate'>> {
  const outcomes = await repos.responses.insertBatch(responses.map(newResponse));
  await repos.contacts.addMany(responses.flatMap((r, i) => (outcomes[i] === 'stored' && r.prepared.contact
    ? [{ waveId: r.waveId, details: r.prepared.contact }] : [])));
  return outcomes;
}
