import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, Account } from '../helpers/app';
import { tnoReportResponses } from '../../server/demo/tno-report';
import { roundHalfUp, roundedPercent } from '../../server/stats';

// The report's tables exactly as printed (tno-quickscan.md §2), in the instrument's answer
// order (Likert: helemaal mee oneens … helemaal mee eens; Tabel 3: altijd … nooit).
// Tabel 8 is left out: no single set of counts reproduces it (§2b, §6.4: n = 81 fits
// neither 41 + 38 nor 44 + 38, and the Totaal column fits no n at all).
const PRINTED = {
  tabel1: [19, 12, 10, 9, 8, 8, 8, 6, 6, 2, 12],
  tabel2: [43, 24, 19, 11, 1, 1],
  tabel3: [7, 35, 58, 0],
  tabel4: [0, 1, 9, 43, 47],
  tabel5: [[2, 13, 41, 34, 11], [1, 4, 15, 57, 24], [1, 4, 28, 55, 12], [2, 11, 42, 38, 8], [1, 2, 8, 48, 41],
    [1, 3, 24, 52, 20], [0, 4, 21, 48, 27], [2, 6, 30, 44, 18], [0, 2, 27, 51, 20]],
  tabel6: [10, 18, 65, 8, 0],
  tabel7: [[6, 15, 20, 50, 9], [3, 5, 24, 54, 13], [5, 11, 24, 53, 7], [3, 4, 26, 52, 15], [2, 10, 29, 48, 11], [3, 1, 21, 60, 15]],
  tabel9: [[1, 4, 21, 36, 37], [17, 31, 27, 21, 3], [24, 41, 19, 13, 3], [21, 39, 31, 6, 1]],
  tabel10: [[0, 1, 7, 44, 49], [2, 1, 13, 39, 46], [0, 1, 8, 36, 56], [0, 2, 9, 48, 41], [0, 1, 3, 23, 73]],
};

interface Option { value: unknown; count: number; percent: number; percentOfAll: number; percentOfMentions?: number }
interface Question { name: string; n: number; options: Option[]; rows?: Array<{ name: string; n: number; options: Option[] }> }

describe('the TNO report, rebuilt from its published counts', () => {
  let t: TestApp;
  let admin: Account;
  let waveId: string;
  let questions: Map<string, Question>;

  before(async function submitTheReport() {
    this.timeout(300_000); // 131 submissions, each validated with survey-core (~80 ms)
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    const wave = await createWave(t.app, admin, { label: 'TNO 2021' });
    waveId = wave.id;
    for (const data of tnoReportResponses()) {
      const res = await request(t.app).post(`/s/${wave.token}/responses`).send({ submissionId: crypto.randomUUID(), data });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
    }
    // The report came out once the survey had closed; an open wave would still hold its last
    // sealed batch back from the results (server/sealing/).
    const closed = await request(t.app).patch(`/api/v1/waves/${waveId}`).set('Authorization', `Bearer ${admin.token}`).send({ status: 'closed' });
    expect(closed.status).to.equal(200);
    const res = await get(`/api/v1/waves/${waveId}/results`);
    questions = new Map((res.body.questions as Question[]).map((q) => [q.name, q]));
  });
  after(async () => t.close());

  const get = async (url: string) => {
    const res = await request(t.app).get(url).set('Authorization', `Bearer ${admin.token}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res;
  };
  const rounded = (options: Option[], field: 'percent' | 'percentOfAll' | 'percentOfMentions' = 'percent') =>
    options.map((o) => roundHalfUp(o[field] as number));

  it('stores all 131 responses: 61 professionals and 70 students', async () => {
    const res = await get(`/api/v1/waves/${waveId}/results`);
    expect(res.body.n).to.equal(131);
    expect(questions.get('b_role')!.options.map((o) => o.count)).to.deep.equal([61, 70]);
  });

  it('Tabel 1: sectors as a share of the 139 mentions, not of the 61 professionals', () => {
    const q = questions.get('b_sector')!;
    expect(q.n).to.equal(61);
    expect((q as unknown as { mentions: number }).mentions).to.equal(139);
    expect(rounded(q.options, 'percentOfMentions')).to.deep.equal(PRINTED.tabel1);
    expect(roundHalfUp(q.options[0].percent)).to.equal(44); // 27 of 61 professionals: why the report needs "mentions"
  });

  it('Tabel 2: institutions of the 70 students', () => {
    const q = questions.get('b_instelling')!;
    expect(q.n).to.equal(70);
    expect(rounded(q.options).slice(0, 6)).to.deep.equal(PRINTED.tabel2);
  });

  it('Tables 3, 4 and 6: single statements over all 131', () => {
    for (const [name, printed] of [['e_wenselijk', PRINTED.tabel3], ['f_leren', PRINTED.tabel4], ['t6_belemmerd', PRINTED.tabel6]] as const) {
      const q = questions.get(name)!;
      expect(q.n, name).to.equal(131);
      expect(rounded(q.options), name).to.deep.equal(printed);
      q.options.forEach((o, i) => expect(roundedPercent(o.count, q.n), name).to.equal(printed[i]));
    }
  });

  it('Tables 5, 7 and 10: every matrix row as printed', () => {
    for (const [name, printed] of [['t5', PRINTED.tabel5], ['t7', PRINTED.tabel7], ['t10', PRINTED.tabel10]] as const) {
      const rows = questions.get(name)!.rows!;
      expect(rows.map((r) => rounded(r.options)), name).to.deep.equal(printed);
    }
    expect(questions.get('t10')!.rows!.map((r) => r.n)).to.deep.equal([131, 131, 131, 131, 70]);
  });

  it('Tabel 9: the students, with the one student who skipped row 4 counted in the base as the report does', async () => {
    const res = await get(`/api/v1/waves/${waveId}/results?filter=b_role:student`);
    expect(res.body.n).to.equal(70);
    const rows = (res.body.questions as Question[]).find((q) => q.name === 't9')!.rows!;
    expect(rows.map((r) => r.n)).to.deep.equal([70, 70, 70, 69]);
    expect(rows.map((r) => rounded(r.options, 'percentOfAll'))).to.deep.equal(PRINTED.tabel9);
    // Of the 69 who answered it, row 4 would print differently: the report's base is all 70.
    expect(rounded(rows[3].options)).to.deep.equal([22, 39, 32, 6, 1]);
  });

  it('the summary prints the report\'s tables 1-7, 9 and 10 in whole percentages, as the report does', async () => {
    const res = await get(`/api/v1/waves/${waveId}/summary`);
    expect(res.body.kind).to.equal('tno');
    const tables = new Map((res.body.tno.tables as Array<Record<string, any>>).map((x) => [x.id, x])); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(tables.get('tabel1')!.percentsRounded).to.deep.equal(PRINTED.tabel1);
    expect(tables.get('tabel1')!.n).to.equal(139);
    expect(tables.get('tabel2')!.percentsRounded.slice(0, 6)).to.deep.equal(PRINTED.tabel2);
    expect(tables.get('tabel3')!.percentsRounded).to.deep.equal(PRINTED.tabel3);
    expect(tables.get('tabel4')!.percentsRounded).to.deep.equal(PRINTED.tabel4);
    expect(tables.get('tabel6')!.percentsRounded).to.deep.equal(PRINTED.tabel6);
    for (const [id, printed] of [['tabel5', PRINTED.tabel5], ['tabel7', PRINTED.tabel7], ['tabel9', PRINTED.tabel9], ['tabel10', PRINTED.tabel10]] as const) {
      expect(tables.get(id)!.rows.map((r: { percentsRounded: number[] }) => r.percentsRounded), id).to.deep.equal(printed);
    }
    expect(tables.get('tabel8')!.layout).to.equal('crosstab');
    expect(res.body.tno.comparisons.map((c: { title: string }) => c.title)).to.deep.equal([
      'Professionals en studenten', 'Professionals met en zonder eigen ervaring', 'Studenten met en zonder eigen ervaring']);
    expect(res.body.tno.comparisons[1].groups.map((g: { n: number }) => g.n)).to.deep.equal([41, 15]);
    expect(res.body.tno.comparisons[2].groups.map((g: { n: number }) => g.n)).to.deep.equal([38, 32]);
  });
});
