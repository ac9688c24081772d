import { expect } from 'chai';
import { testInstrumentFiles } from '../../helpers/app';
import { instrumentModel } from '../../../server/results/instrument-model';
import type { ValenteView } from '../../../server/results/valente';
import { valentePlan } from '../../../server/team-records/valente-plan';
import { recordChanges } from '../../../server/team-records/diff';
import { recordQuestions } from '../../../server/team-records/questions';
import type { RecordRevision } from '../../../server/team-records/repository';

const file = testInstrumentFiles().find((f) => f.key === 'valente-zes-stappen')!;
const version = { id: 'unit-valente', key: file.key, version: 1, title: file.title, hash: 'x', definition: file.definition, meta: file.meta };
const view = (file.meta.views as { valente: ValenteView }).valente;
const titles = new Map(recordQuestions(file.definition).map((q) => [q.name, q.title]));

function revision(n: number, savedAt: string, data: Record<string, unknown>, before: Record<string, unknown> = {}): RecordRevision {
  return { revision: n, savedAt, data, authorKind: 'account', authorLabel: 'mt@x.test', changes: recordChanges([...titles.keys()], before, data) };
}

describe('the Valente plan of a team record', () => {
  it('names every change by the action it belongs to, in the instrument\'s order', () => {
    const changes = recordChanges([...titles.keys()], { s2a1_status: 'bezig' }, { s1a1_notitie: 'x', s2a1_status: 'gerealiseerd' });
    expect(changes.map((c) => c.question)).to.deep.equal(['s1a1_notitie', 's2a1_status']);
    expect(titles.get('s2a1_streefdatum')).to.equal('Actie 2.1 · Streefdatum');
  });

  it('counts a save at 00:30 in the Netherlands to that day, not to the UTC day before', () => {
    const plan = valentePlan(view, instrumentModel(version), [revision(1, '2026-03-01T23:30:00.000Z', { s1a1_status: 'bezig' })],
      { today: '2026-03-02', since: '2026-03-02', titles });
    expect(plan.changedSince).to.have.length(1);
  });

  it('is overdue only while open: not when realised, not applicable or decided "niet"', () => {
    const data = {
      s1a1_status: 'bezig', s1a1_streefdatum: '2026-01-01',
      s1a3_status: 'gerealiseerd', s1a3_streefdatum: '2026-01-01',
      s2a1_status: 'nvt', s2a1_reden: 'Past niet.', s2a1_streefdatum: '2026-01-01',
      s1a2_besluit: 'niet', s1a2_motivatie: 'Nee.', s1a2_streefdatum: '2026-01-01',
      s3a1_streefdatum: '2026-03-02',
    };
    const plan = valentePlan(view, instrumentModel(version), [revision(1, '2026-03-01T10:00:00.000Z', data)], { today: '2026-03-02', since: null, titles });
    expect(plan.overdue.map((a) => a.id)).to.deep.equal(['s1a1']);
    expect(plan.nextActions.map((a) => a.id)).to.not.include.members(['s1a2', 's1a3', 's2a1']);
    expect(plan.nextActions[0].id).to.equal('s1a1');
    expect(plan.nextActions[1].id).to.equal('s3a1');
    expect(plan.changedSince).to.equal(null);
  });
});
