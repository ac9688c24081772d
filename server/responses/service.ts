import { z } from 'zod';
import type { Store } from '../store';
import type { InstrumentVersion } from '../instruments/repository';
import type { InstrumentCatalogue } from '../instruments/catalogue';
import type { WaveService } from '../waves/service';
import { FieldError, conflict, gone, invalid } from '../http/errors';
import type { DbTimeouts } from '../config';
import { withinDeadline } from '../db/errors';
import { t } from '../i18n/messages';
import { dayInNetherlands } from '../util/dates';
import { validateResponse } from './validate-response';
import { AnswerRow, toAnswerRows } from './long-format';
import { createSubmissionWriter } from './submission-writer';
import { storePending, storePendingContacts, storeResponse, storedBefore as foundStored } from './storage';

export const submissionSchema = z.object({
  submissionId: z.string().uuid(),
  data: z.record(z.unknown()),
}).strict();

export interface ResponseServiceOptions {
  /** Told the wave of every newly stored response, after its commit (the background tally fold). */
  onStored?: (waveId: string) => void;
  /** How long a respondent waits at most (writeMs), and how many submissions may queue. */
  timeouts: Pick<DbTimeouts, 'writeMs' | 'maxQueuedSubmissions'>;
}

export function createResponseService(store: Store, waves: WaveService, instruments: InstrumentCatalogue, { onStored, timeouts }: ResponseServiceOptions) {
  const writer = createSubmissionWriter(store, { timeoutMs: timeouts.writeMs, maxQueued: timeouts.maxQueuedSubmissions });
  const told = (waveId: string) => (outcome: 'stored' | 'duplicate') => {
    if (outcome === 'stored') onStored?.(waveId);
    return outcome;
  };
  return {
    /** For /healthz: the submission writer's queue and the age of its batch in flight. */
    writerState: () => writer.state(),

    async submit(token: string, submission: z.infer<typeof submissionSchema>): Promise<'stored' | 'duplicate'> {
      // The reads before the write wait on the database too: the respondent's whole wait is
      // bounded, and a database that does not answer becomes a 503 (error-handler.ts).
      const { wave, invitation } = await withinDeadline(timeouts.writeMs, waves.findForToken(token));
      // A team wave holds one shared record, saved through PUT …/record, never responses.
      if (wave.mode === 'team') throw conflict(t('team.useRecord'));
      // A retry of a stored submission is harmless, even once the wave has closed or the
      // invitation is used: it is answered 200 duplicate. The database is asked only where
      // the answer would otherwise be an error; storing tells a duplicate apart by itself,
      // so a new submission costs no extra read.
      const storedBefore = () => withinDeadline(timeouts.writeMs, foundStored(store.repos, wave.id, submission.submissionId));
      try {
        waves.assertAccepting(wave, invitation);
      } catch (err) {
        if (await storedBefore()) return 'duplicate';
        throw err;
      }
      const instrument = await instruments.byVersionId(wave.instrumentVersionId);
      if (!instrument) throw new Error(`Instrument version ${wave.instrumentVersionId} of wave ${wave.id} is missing`);
      const prepared = prepareResponse(instrument, submission.data);
      if (!prepared.ok) {
        if (await storedBefore()) return 'duplicate';
        throw invalid(prepared.errors);
      }

      const today = dayInNetherlands();
      // Through a wave's public link, submissions that arrive together are committed together
      // (submission-writer.ts); each is answered only once its transaction has committed.
      if (!invitation) {
        return writer.write({ waveId: wave.id, prepared, submissionId: submission.submissionId, submittedOn: today }).then(told(wave.id));
      }
      const invitationId = wave.mode === 'identified' ? invitation?.id ?? null : null;
      const response = { waveId: wave.id, prepared, submissionId: submission.submissionId, submittedOn: today, invitationId };
      // An identified wave's response belongs to its invitation: there is no arrival order or
      // contact link to hide, and a manager may void it at once, so it is stored sealed.
      // Anonymous responses wait pending (storage.ts), their contact details apart.
      const identified = wave.mode === 'identified';
      const result = await store.boundedTransaction(timeouts.writeMs, async (repos) => {
        const outcome = identified ? await storeResponse(repos, response) : (await storePending(repos, [response]))[0];
        if (outcome === 'duplicate') return outcome;
        if (invitation && !(await repos.invitations.markUsed(invitation.id, today))) throw gone(t('errors.invitationUsed'));
        return outcome;
      });
      if (!identified) await storePendingContacts(store, timeouts.writeMs, [response]);
      return told(wave.id)(result);
    },
  };
}

export type ResponseService = ReturnType<typeof createResponseService>;

export type PreparedResponse =
  | { ok: true; data: Record<string, unknown>; answers: AnswerRow[]; contact: Record<string, string> | null }
  | { ok: false; errors: FieldError[] };

/**
 * Everything a response goes through before it may be stored: survey-core validation,
 * contact details taken out, long-format answer rows. A live submission and every row of
 * a CSV import take this one path, so an import can never store what a respondent could not.
 */
export function prepareResponse(instrument: InstrumentVersion, submitted: Record<string, unknown>): PreparedResponse {
  const outcome = validateResponse(instrument.definition, submitted);
  if (!outcome.ok) return outcome;
  const { answers, contact } = splitContact(outcome.data, contactQuestionsOf(instrument.meta), outcome.types);
  return { ok: true, data: answers, answers: toAnswerRows(answers, outcome.types), contact };
}

function contactQuestionsOf(meta: Record<string, unknown>): string[] {
  return Array.isArray(meta.contactQuestions) ? (meta.contactQuestions as string[]) : [];
}

/**
 * Takes the contact questions out of the answers. Their values go to a separate table with
 * no link to the response; the answers keep nothing of them, not even whether they were
 * filled in, because with few volunteers that alone would point to a person.
 */
export function splitContact(data: Record<string, unknown>, contactQuestions: string[], types: Map<string, string>) {
  const answers = { ...data };
  // Item names are keys: a Map, so that none can reach a prototype.
  const contact = new Map<string, string>();
  for (const name of contactQuestions) {
    const value = answers[name];
    delete answers[name];
    // Only what the respondent wrote is kept; the yes/no that routed to it is implied.
    if (types.get(name) === 'multipletext' && value && typeof value === 'object') {
      for (const [key, text] of Object.entries(value)) if (String(text).trim() !== '') contact.set(key, String(text).trim());
    } else if ((types.get(name) === 'text' || types.get(name) === 'comment') && typeof value === 'string' && value.trim() !== '') {
      contact.set(name, value.trim());
    }
  }
  return { answers, contact: contact.size > 0 ? Object.fromEntries(contact) : null };
}
