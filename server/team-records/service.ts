// The shared record of a team wave (mode "team"): one record per wave that the team's
// members open, edit and save as often as they like. Every save is a revision (who, when,
// what changed). Two members who edit the same revision at once cannot overwrite each other:
// a save names the revision it started from, and a save from an older one is refused (409)
// with the record as it now is, for the member to redo her change on (optimistic concurrency).
// Members are staff accounts of the organisation (admins and managers edit; viewers read) and
// member links: invitations of the wave that stay valid, for the same person to come back.
import { z } from 'zod';
import type { Store } from '../store';
import type { InstrumentCatalogue } from '../instruments/catalogue';
import type { InstrumentVersion } from '../instruments/repository';
import type { WaveRecord } from '../waves/repository';
import type { WaveService } from '../waves/service';
import type { CurrentUser } from '../auth/scope';
import { assertCan } from '../auth/policy';
import { AppError, conflict, invalid, notFound } from '../http/errors';
import { t } from '../i18n/messages';
import { validateResponse } from '../responses/validate-response';
import { recordChanges } from './diff';
import { recordQuestions } from './questions';
import type { AuthorKind, RecordRevision } from './repository';

export const recordSaveSchema = z.object({
  /** The revision this edit started from (0 for a record nobody has saved yet). */
  revision: z.number().int().min(0).max(1_000_000),
  data: z.record(z.unknown()),
}).strict();

export interface Author { kind: AuthorKind; label: string }

/** 409 for a save from an older revision: carries the record that is current now. */
export class RecordConflict extends AppError {
  constructor(readonly latest: RecordRevision | null) {
    super(409, 'conflict', t('team.conflict'));
  }
}

export function createTeamRecordService(store: Store, waves: WaveService, instruments: InstrumentCatalogue) {
  const instrumentOf = async (wave: WaveRecord): Promise<InstrumentVersion> => {
    const instrument = await instruments.byVersionId(wave.instrumentVersionId);
    if (!instrument) throw new Error(`Instrument version ${wave.instrumentVersionId} of wave ${wave.id} is missing`);
    return instrument;
  };

  async function save(wave: WaveRecord, author: Author, input: z.infer<typeof recordSaveSchema>): Promise<RecordRevision> {
    if (wave.mode !== 'team') throw conflict(t('team.notTeam'));
    if (wave.status !== 'open') throw conflict(t('team.closed'));
    const instrument = await instrumentOf(wave);
    // The same rules as any response: a record can never hold what a respondent could not send.
    const outcome = validateResponse(instrument.definition, input.data);
    if (!outcome.ok) throw invalid(outcome.errors);
    const order = recordQuestions(instrument.definition).map((q) => q.name);
    try {
      return await store.transaction(async (repos) => {
        const latest = await repos.teamRecords.latest(wave.id);
        if ((latest?.revision ?? 0) !== input.revision) throw new RecordConflict(latest);
        const revision: RecordRevision = {
          revision: input.revision + 1,
          data: outcome.data,
          changes: recordChanges(order, latest?.data ?? {}, outcome.data),
          savedAt: new Date().toISOString(),
          authorKind: author.kind,
          authorLabel: author.label,
        };
        await repos.teamRecords.insert(wave.id, revision);
        return revision;
      });
    } catch (err) {
      if (err instanceof RecordConflict) throw err;
      // Two saves from the same base that passed the check at once: the key let one in.
      const latest = await store.repos.teamRecords.latest(wave.id);
      if (latest && latest.revision > input.revision) throw new RecordConflict(latest);
      throw err;
    }
  }

  return {
    /** The wave, its instrument and its current record, for an account of the organisation. */
    async read(actor: CurrentUser, waveId: string) {
      const wave = await waves.get(actor, waveId);
      assertCan(actor, 'record.read', wave);
      if (wave.mode !== 'team') throw notFound();
      return { wave, instrument: await instrumentOf(wave), record: await store.repos.teamRecords.latest(wave.id) };
    },

    async revisions(actor: CurrentUser, waveId: string) {
      const wave = await waves.get(actor, waveId);
      assertCan(actor, 'record.read', wave);
      if (wave.mode !== 'team') throw notFound();
      return { wave, instrument: await instrumentOf(wave), revisions: await store.repos.teamRecords.list(wave.id) };
    },

    /**
     * The earlier rounds of this team wave's series (same organisation and instrument),
     * oldest first, each with its last revision: the plan's progress across rounds.
     */
    async earlierRounds(wave: WaveRecord): Promise<Array<{ label: string; last: RecordRevision }>> {
      // A round is earlier when its record was last saved before this round's first revision.
      const first = (await store.repos.teamRecords.list(wave.id))[0];
      return (await roundsOfSeries(store, wave)).filter((r) => !first || r.last.savedAt <= first.savedAt);
    },

    async saveAsAccount(actor: CurrentUser, waveId: string, input: z.infer<typeof recordSaveSchema>): Promise<RecordRevision> {
      const wave = await waves.get(actor, waveId);
      if (wave.mode !== 'team') throw notFound();
      assertCan(actor, 'record.write', wave);
      return save(wave, { kind: 'account', label: actor.email }, input);
    },

    /** A member link: an invitation of a team wave, valid for as long as the wave is open. */
    async forMemberLink(token: string) {
      const { wave, invitation } = await waves.openWaveForToken(token);
      if (wave.mode !== 'team' || !invitation) throw notFound();
      return { wave, invitation, instrument: await instrumentOf(wave), record: await store.repos.teamRecords.latest(wave.id) };
    },

    async saveAsMember(token: string, input: z.infer<typeof recordSaveSchema>): Promise<RecordRevision> {
      const { wave, invitation } = await waves.openWaveForToken(token);
      if (wave.mode !== 'team' || !invitation) throw notFound();
      return save(wave, { kind: 'link', label: invitation.name ?? t('team.unnamedMember') }, input);
    },
  };
}

export type TeamRecordService = ReturnType<typeof createTeamRecordService>;

/**
 * A new round of a team record starts from where the last one ended: when a team wave is
 * created in a series, the record of the latest earlier team wave of the same instrument in
 * that series becomes its first revision. Answers the new version no longer has are left out.
 */
export async function carryOverRecord(store: Store, wave: WaveRecord, instrument: InstrumentVersion): Promise<void> {
  if (wave.mode !== 'team' || !wave.series) return;
  // The previous round is the one whose record was saved last: creation times can tie.
  const previous = (await roundsOfSeries(store, wave)).at(-1);
  if (previous) {
    const latest = previous.last;
    const known = new Set(recordQuestions(instrument.definition).map((q) => q.name));
    const data = Object.create(null) as Record<string, unknown>;
    for (const [name, value] of Object.entries(latest.data)) if (known.has(name)) data[name] = value;
    const outcome = validateResponse(instrument.definition, { ...data });
    const carried = outcome.ok ? outcome.data : dropInvalid(instrument, data, outcome.errors.map((e) => e.question));
    await store.repos.teamRecords.insert(wave.id, {
      revision: 1, data: carried, changes: recordChanges([...known], {}, carried),
      savedAt: new Date().toISOString(), authorKind: 'carried', authorLabel: previous.label,
    });
  }
}

/** The other team waves of this wave's series (organisation, series, instrument) that have a record, by their last save, oldest first. */
async function roundsOfSeries(store: Store, wave: WaveRecord): Promise<Array<{ label: string; last: RecordRevision }>> {
  if (!wave.series) return [];
  const others = (await store.repos.waves.list({ organisationId: wave.organisationId }))
    .filter((w) => w.id !== wave.id && w.mode === 'team' && w.series === wave.series && w.instrumentKey === wave.instrumentKey);
  const rounds: Array<{ label: string; last: RecordRevision }> = [];
  for (const other of others) {
    const last = await store.repos.teamRecords.latest(other.id);
    if (last) rounds.push({ label: other.label, last });
  }
  return rounds.sort((a, b) => (a.last.savedAt < b.last.savedAt ? -1 : a.last.savedAt > b.last.savedAt ? 1 : 0));
}

/** What is left of a record when the answers the new version refuses are taken out (once). */
function dropInvalid(instrument: InstrumentVersion, data: Record<string, unknown>, refused: Array<string | undefined>): Record<string, unknown> {
  const kept = { ...data };
  for (const name of refused) if (name) delete kept[name];
  const again = validateResponse(instrument.definition, kept);
  return again.ok ? again.data : {};
}

/** The record as the API shows it: every change named by the question it belongs to. */
export function revisionJson(revision: RecordRevision, titles: ReadonlyMap<string, string>) {
  return {
    revision: revision.revision,
    savedAt: revision.savedAt,
    savedBy: { kind: revision.authorKind, label: revision.authorLabel },
    changes: revision.changes.map((c) => ({ question: c.question, title: titles.get(c.question) ?? c.question, before: c.before, after: c.after })),
  };
}

export function recordJson(wave: WaveRecord, revision: RecordRevision | null) {
  return {
    waveId: wave.id,
    revision: revision?.revision ?? 0,
    data: revision?.data ?? {},
    savedAt: revision?.savedAt ?? null,
    savedBy: revision ? { kind: revision.authorKind, label: revision.authorLabel } : null,
  };
}

export function titlesOf(instrument: InstrumentVersion): Map<string, string> {
  return new Map(recordQuestions(instrument.definition).map((q) => [q.name, q.title]));
}
