// Storing a prepared response. Two paths:
// - live submissions (one at a time or group-committed) are stored as pending: the response
//   in one transaction, its contact details in another, so that no transaction holds both.
//   Results do not read pending rows; sealing (server/sealing/) moves them, a batch of at
//   least the wave's minimum at a time, in random order, into responses, answers and
//   contact_requests. A pending row is on disk: a 201 still means "stored".
// - CSV imports and the demo store sealed rows at once, inside the caller's transaction
//   (storeResponse): their order is the order of a file the manager already holds.
import crypto from 'node:crypto';
import type { Repositories, Store } from '../store';
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
 * Stores one response, sealed at once (imports, the demo). 'duplicate' when this submission
 * was stored before, also by another process at the same moment; nothing changes then.
 */
export async function storeResponse(repos: Repositories, response: ResponseToStore): Promise<'stored' | 'duplicate'> {
  const outcome = await repos.responses.insert(newResponse(response));
  if (outcome === 'stored' && response.prepared.contact) await repos.contacts.add(response.waveId, response.prepared.contact);
  return outcome;
}

/**
 * Stores many responses sealed at once, in the caller's transaction, in a few multi-row
 * statements (a CSV import): storing them one by one took ~2 ms a row, and the import's
 * one transaction held SQLite's writer, and every live submission, for seconds.
 */
export async function storeResponses(repos: Repositories, responses: readonly ResponseToStore[]): Promise<Array<'stored' | 'duplicate'>> {
  const outcomes = await repos.responses.insertBatch(responses.map(newResponse));
  for (const [i, r] of responses.entries()) {
    if (outcomes[i] === 'stored' && r.prepared.contact) await repos.contacts.add(r.waveId, r.prepared.contact);
  }
  return outcomes;
}

/** True when this submission was stored before, pending or sealed. */
export async function storedBefore(repos: Repositories, waveId: string, submissionId: string): Promise<boolean> {
  return (await repos.pending.exists(waveId, submissionId)) || repos.responses.exists(waveId, submissionId);
}

/**
 * Stores submissions as pending, in the caller's transaction, without their contact details
 * (storePendingContacts, in a transaction of its own). An outcome per response, in order.
 */
export function storePending(repos: Repositories, responses: readonly ResponseToStore[]): Promise<Array<'stored' | 'duplicate'>> {
  return repos.pending.insertResponses(responses.map(newResponse));
}

/**
 * Stores the contact details of these submissions as pending, in a transaction of its own
 * begun after the responses' has committed: a response and its contact never share one (a
 * copy of a PostgreSQL database would join them by xmin). Also for a retry that found its
 * response stored: the first attempt may have failed between the two transactions; while
 * the contact waits, the retry changes nothing.
 */
export async function storePendingContacts(store: Store, timeoutMs: number, responses: readonly ResponseToStore[]): Promise<void> {
  const contacts = responses.flatMap((r) => (r.prepared.contact ? [{ waveId: r.waveId, submissionId: r.submissionId, details: r.prepared.contact }] : []));
  if (contacts.length === 0) return;
  await store.boundedTransaction(timeoutMs, (repos) => repos.pending.insertContacts(contacts));
}
