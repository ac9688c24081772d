// The differencing attack of the anonymity issue, step by step, as a viewer: a wave of 12
// professionals and 1 student (minimum 5), and every pair of selections whose difference
// gave the student's answers back. Each pair must now give nothing: the smaller side is
// hidden, and hidden answers exactly as an empty selection does (docs/privacy.md,
// "Aftrekken"; docs/api-results.md, "The complement rule").
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createUser, createWave, Account } from '../helpers/app';
import { storeResponses, times } from '../helpers/results';
import { rowsOf } from '../helpers/csv';

const SECRET = 'Mijn vader slaat mij nog steeds';
const SERIES = 'quickscan-differencing';

function professional(i: number): Record<string, unknown> {
  const experience = i < 6;
  return {
    b_role: 'professional', b_sector: ['vrouwenopvang'], c_ervaring: experience ? 'ja' : 'nee', c_collegas: 'nee',
    ...(experience ? {
      c_wanneer: ['vroeger'], c_soort: ['emotionele_mishandeling'], d_delen_met: ['collegas'], d_toelichting: `Toelichting van professional ${i}`,
    } : {}),
    e_wenselijk: 2, f_leren: 3, t5: { t5_1: 4 },
  };
}

/** The one student: the only "actueel", the only "seksueel misbruik", the only student answers. */
function student(): Record<string, unknown> {
  return {
    b_role: 'student', b_instelling: 'han', b_voltijd: 'voltijd', c_ervaring: 'ja', c_wanneer: ['actueel'], c_soort: ['seksueel_misbruik'],
    d_delen_met: ['studiegenoten'], d_toelichting: SECRET, c_collegas: 'ja', e_wenselijk: 4, f_leren: 1, t5: { t5_1: 1 }, t9: { t9_1: 2 },
  };
}

/** Nobody in the wave gave this answer: the selection it makes is empty. */
const NOBODY = 'filter=b_instelling:hogeschool_leiden';

type Body = Record<string, unknown>;
/** The answer without the echo of the filters asked for (the one part that may differ). */
const withoutFilters = ({ filters: _filters, ...rest }: Body) => rest;

describe('differencing: no selection gives a small group back by subtraction', () => {
  let t: TestApp;
  let admin: Account;
  let viewer: Account;
  let waveId: string;
  const get = (path: string, as: Account = viewer) => request(t.app).get(path).set('Authorization', `Bearer ${as.token}`);
  const json = async (path: string) => {
    const res = await get(path);
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).to.equal(200);
    return res.body as Body;
  };
  const question = (body: Body, name: string) => (body.questions as Array<{ name: string }>).find((q) => q.name === name) as
    { n: number | null; suppressed: boolean; options: Array<{ value: unknown; count?: number }> } | undefined;
  const count = (body: Body, name: string, value: unknown) => question(body, name)?.options.find((o) => o.value === value)?.count ?? 0;

  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    viewer = await createUser(t.app, admin, { email: 'lezer@noord.test', role: 'viewer' });
    waveId = (await createWave(t.app, admin, { label: 'Quickscan 2026', series: SERIES, opensAt: '2026-11-01' })).id;
    await storeResponses(t.testDb.db, waveId, [...Array.from({ length: 12 }, (_, i) => professional(i)), student()]);
  });
  after(async () => t.close());

  it('shows the whole wave, with the student in it', async () => {
    const whole = await json(`/api/v1/waves/${waveId}/results`);
    expect(whole).to.include({ n: 13, suppressed: false });
    expect(count(whole, 'c_wanneer', 'actueel')).to.equal(1);
  });

  it('hides the professionals, whose complement in the wave is one student: whole minus filtered gives nothing', async () => {
    const whole = await json(`/api/v1/waves/${waveId}/results`);
    const professionals = await json(`/api/v1/waves/${waveId}/results?filter=b_role:professional`);
    const empty = await json(`/api/v1/waves/${waveId}/results?${NOBODY}`);
    expect(withoutFilters(professionals)).to.deep.equal(withoutFilters(empty));
    expect(count(whole, 'c_wanneer', 'actueel') - count(professionals, 'c_wanneer', 'actueel')).to.equal(1 - 0);
    expect(question(professionals, 'c_wanneer')).to.equal(undefined);
  });

  it('hides a filter within a filter whose complement within the enclosing filter is below the minimum', async () => {
    const withExperience = await json(`/api/v1/waves/${waveId}/results?filter=c_ervaring:ja`);
    expect(withExperience).to.include({ n: 7, suppressed: false });
    const nested = await json(`/api/v1/waves/${waveId}/results?filter=c_ervaring:ja&filter=b_role:professional`);
    const empty = await json(`/api/v1/waves/${waveId}/results?filter=c_ervaring:ja&${NOBODY}`);
    expect(withoutFilters(nested)).to.deep.equal(withoutFilters(empty));
    // In either order of the filters.
    const reversed = await json(`/api/v1/waves/${waveId}/results?filter=b_role:professional&filter=c_ervaring:ja`);
    expect(withoutFilters(reversed)).to.deep.equal(withoutFilters(empty));
  });

  it('hides a question whose answerers differ by fewer than the minimum between a selection and the wave', async () => {
    // 14 professionals and 6 students: both groups and their complements are large enough,
    // but c_soort was answered by 6 professionals and 1 student: wave minus professionals
    // would give that one student's answer.
    const wave = (await createWave(t.app, admin, { label: 'Quickscan 2027' })).id;
    const professionals = Array.from({ length: 14 }, (_, i) => {
      const p = professional(i < 7 ? 0 : 11);
      if (i === 6) delete p.c_soort;
      return p;
    });
    const students = [student(), ...times(5, { b_role: 'student', b_instelling: 'han', c_ervaring: 'nee', e_wenselijk: 3 })];
    await storeResponses(t.testDb.db, wave, [...professionals, ...students]);
    const whole = await json(`/api/v1/waves/${wave}/results`);
    expect(question(whole, 'c_soort')).to.include({ n: 7, suppressed: false });
    const filtered = await json(`/api/v1/waves/${wave}/results?filter=b_role:professional`);
    expect(filtered).to.include({ n: 14, suppressed: false });
    expect(question(filtered, 'c_soort')).to.include({ n: null, suppressed: true });
    expect(question(filtered, 'c_soort')!.options.every((o) => o.count === undefined)).to.equal(true);
    // The same in a comparison: the professionals' column of c_soort minus the wave's.
    const compared = await json(`/api/v1/waves/${wave}/compare?by=b_role`);
    const items = compared.items as Array<{ name: string; choice?: string; counts?: number[][]; groups: string[] }>;
    const sexual = items.find((i) => i.name === 'c_soort' && i.choice === 'seksueel_misbruik')!;
    expect(sexual.groups).not.to.include('professional');
    const csv = await get(`/api/v1/waves/${wave}/results.csv?filter=b_role:professional`);
    expect(csv.text.split(/\r?\n/).filter((l) => l.startsWith('c_soort,')).every((l) => /,,,,,,,1$/.test(l))).to.equal(true);
  });

  it('hides sibling filters whose groups, subtracted from the wave, leave a small group', async () => {
    // 10 at De Haagse Hogeschool, 6 in Rotterdam, 2 at the HAN: each filter alone leaves a
    // large rest, but the wave minus both shown filters is the HAN's two.
    const wave = (await createWave(t.app, admin, { label: 'Studenten 2026' })).id;
    const studentAt = (b_instelling: string, e_wenselijk: number) => ({ b_role: 'student', b_instelling, c_ervaring: 'nee', e_wenselijk });
    await storeResponses(t.testDb.db, wave, [...times(10, studentAt('haagse_hogeschool', 3)), ...times(6, studentAt('hogeschool_rotterdam', 3)),
      ...times(2, studentAt('han', 1))]);
    const whole = await json(`/api/v1/waves/${wave}/results`);
    const haagse = await json(`/api/v1/waves/${wave}/results?filter=b_instelling:haagse_hogeschool`);
    const rotterdam = await json(`/api/v1/waves/${wave}/results?filter=b_instelling:hogeschool_rotterdam`);
    const shownCount = (body: Body) => (body.suppressed ? null : count(body, 'e_wenselijk', 1));
    const shown = [haagse, rotterdam].filter((b) => !b.suppressed);
    // Whatever is shown, what it leaves of the wave is nobody or at least the minimum.
    const rest = (whole.n as number) - shown.reduce((k, b) => k + (b.n as number), 0);
    expect(rest === 0 || rest >= 5, `rest ${rest}`).to.equal(true);
    expect(shownCount(whole)).to.equal(2);
    const empty = await json(`/api/v1/waves/${wave}/results?${NOBODY}`);
    expect(withoutFilters(rotterdam)).to.deep.equal(withoutFilters(empty));
    expect(haagse.suppressed).to.equal(false);
    // A filter on a missing value ("zeg ik liever niet") is never a group of its own.
    const refused = await json(`/api/v1/waves/${wave}/results?filter=c_ervaring:refused`);
    expect(withoutFilters(refused)).to.deep.equal(withoutFilters(empty));
  });

  it('hides the texts of the professionals: the texts page whole minus filtered gives nothing', async () => {
    const whole = await json(`/api/v1/waves/${waveId}/texts?question=d_toelichting`);
    expect((whole.texts as Array<{ text: string }>).map((x) => x.text)).to.include(SECRET);
    const professionals = await json(`/api/v1/waves/${waveId}/texts?question=d_toelichting&filter=b_role:professional`);
    const empty = await json(`/api/v1/waves/${waveId}/texts?question=d_toelichting&${NOBODY}`);
    expect(withoutFilters(professionals)).to.deep.equal(withoutFilters(empty));
    const page = await get(`/waves/${waveId}/texts?question=d_toelichting&filter=b_role:professional`);
    expect(page.status).to.equal(200);
    expect(page.text).not.to.contain('Toelichting van professional');
  });

  it('shows free texts only for a selection of at least the text minimum (10 by default)', async () => {
    const results = await json(`/api/v1/waves/${waveId}/results?filter=c_ervaring:ja`);
    expect(results.suppressed).to.equal(false); // 7: enough for numbers
    const texts = await json(`/api/v1/waves/${waveId}/texts?question=d_toelichting&filter=c_ervaring:ja`);
    const empty = await json(`/api/v1/waves/${waveId}/texts?question=d_toelichting&${NOBODY}`);
    expect(withoutFilters(texts)).to.deep.equal(withoutFilters(empty));
  });

  it('leaves no compare group whose complement among the wave\'s respondents is below the minimum', async () => {
    const compared = await json(`/api/v1/waves/${waveId}/compare?by=b_role`);
    const by = compared.by as { groups: unknown[]; excluded: Array<{ value: string; reason: string }> };
    expect(by.groups).to.deep.equal([]);
    expect(by.excluded.map((e) => [e.value, e.reason])).to.deep.equal([['professional', 'below-minimum'], ['student', 'below-minimum']]);
    for (const item of compared.items as Array<{ counts?: unknown; n?: unknown }>) {
      expect(item.counts).to.equal(undefined);
      expect(item.n).to.equal(undefined);
    }
    const csv = await get(`/api/v1/waves/${waveId}/compare.csv?by=b_role`);
    expect(csv.status).to.equal(200);
    const lines = rowsOf(csv.text);
    expect(lines.length).to.be.greaterThan(0);
    expect(lines.every((line) => line.suppressed === '1')).to.equal(true);
  });

  it('writes the CSV of a hidden selection exactly as that of an empty one', async () => {
    const professionals = await get(`/api/v1/waves/${waveId}/results.csv?filter=b_role:professional`);
    const empty = await get(`/api/v1/waves/${waveId}/results.csv?${NOBODY}`);
    expect(professionals.status).to.equal(200);
    expect(professionals.text).to.equal(empty.text);
    const nested = await get(`/api/v1/waves/${waveId}/results.csv?filter=c_ervaring:ja&filter=b_role:professional`);
    expect(nested.text).to.equal(empty.text);
  });

  it('shows the results page of a hidden selection as that of an empty one', async () => {
    const professionals = await get(`/waves/${waveId}/results?filter=b_role:professional`);
    const empty = await get(`/waves/${waveId}/results?${NOBODY}`);
    expect(professionals.status).to.equal(200);
    const tables = (html: string) => (html.match(/<table/g) ?? []).length;
    expect(tables(professionals.text)).to.equal(tables(empty.text));
    const notice = (html: string) => /<p class="notice" role="status">([^<]*)<\/p>/.exec(html)?.[1];
    expect(notice(professionals.text)).to.be.a('string');
    expect(notice(professionals.text)).to.equal(notice(empty.text));
  });

  it('holds the TNO summary to the same rules: a hidden selection is empty, and no group column leaves the student as the rest', async () => {
    const professionals = await json(`/api/v1/waves/${waveId}/summary?filter=b_role:professional`);
    const empty = await json(`/api/v1/waves/${waveId}/summary?${NOBODY}`);
    expect(withoutFilters(professionals)).to.deep.equal(withoutFilters(empty));
    const whole = await json(`/api/v1/waves/${waveId}/summary`);
    const tno = whole.tno as { tables: Array<{ id: string; groups?: Array<{ value: string | null; counts?: number[] }> }>; comparisons: Array<{ groups: unknown[] }> };
    const tabel8 = tno.tables.find((x) => x.id === 'tabel8')!;
    // Only the total: the professionals' column beside it would give the student's t8 answer.
    expect(tabel8.groups!.map((g) => g.value)).to.deep.equal([null]);
    expect(tno.comparisons[0].groups).to.deep.equal([]);
  });

  it('hides a Weerman gap whose pairs of answers differ by fewer than the minimum from the wave\'s', async () => {
    // 10 care workers, 6 managers; 5 managers answered "weet ik niet" for the current state,
    // so the wave's gap of item 1 counts 11 pairs and the care workers' 10: one manager's gap.
    const wave = (await createWave(t.app, admin, { instrument: 'weerman-organisatiescan', label: 'Scan 2026' })).id;
    await storeResponses(t.testDb.db, wave, [
      ...times(10, { rol: 'hulpverlener', w01_is: 2, w01_wens: 3 }),
      ...times(5, { rol: 'bestuur_management', w01_is: 'dontknow', w01_wens: 4 }), { rol: 'bestuur_management', w01_is: 1, w01_wens: 4 },
    ]);
    const whole = await json(`/api/v1/waves/${wave}/summary`);
    const item = (body: Body) => (body.weerman as { items: Array<{ id: string; gap: { n: number | null; suppressed: boolean } }> }).items.find((i) => i.id === 'w01')!;
    expect(item(whole).gap).to.include({ n: 11, suppressed: false });
    const care = await json(`/api/v1/waves/${wave}/summary?filter=rol:hulpverlener`);
    expect(care.suppressed).to.equal(false);
    expect(item(care).gap).to.deep.equal({ n: null, suppressed: true });
  });

  it('gives no n in the series for an item it suppresses', async () => {
    const series = await json(`/api/v1/series/${SERIES}`);
    const items = series.items as Array<{ name: string; waves: Array<{ n: number | null; suppressed: boolean; options: Array<{ count?: number }> }> }>;
    const suppressed = items.flatMap((i) => i.waves).filter((w) => w.suppressed);
    expect(suppressed.length).to.be.greaterThan(0); // t9 (1 student) at least
    for (const w of suppressed) {
      expect(w.n).to.equal(null);
      expect(w.options.every((o) => o.count === undefined)).to.equal(true);
    }
  });

  describe('between waves', () => {
    let emptyWave: string;
    let oneWave: string;
    let professionalsWave: string;

    before(async () => {
      emptyWave = (await createWave(t.app, admin, { label: 'Leeg', series: SERIES, opensAt: '2026-11-02' })).id;
      oneWave = (await createWave(t.app, admin, { label: 'Eén', series: SERIES, opensAt: '2026-11-03' })).id;
      professionalsWave = (await createWave(t.app, admin, { label: 'Zes', series: SERIES, opensAt: '2026-11-04' })).id;
      await storeResponses(t.testDb.db, oneWave, [student()]);
      await storeResponses(t.testDb.db, professionalsWave, times(6, professional(0)));
    });

    it('does not tell a wave without respondents from one below the minimum', async () => {
      const compared = await json(`/api/v1/compare?waves=${waveId},${emptyWave},${oneWave}`);
      const excluded = (compared.by as { excluded: Array<{ value: string; reason: string }> }).excluded;
      const reason = (id: string) => excluded.find((e) => e.value === id)?.reason;
      expect(reason(emptyWave)).to.equal('below-minimum');
      expect(reason(oneWave)).to.equal(reason(emptyWave));
    });

    it('hides a wave\'s filtered group whose complement within that wave is below the minimum', async () => {
      const compared = await json(`/api/v1/compare?waves=${waveId},${professionalsWave}&filter=b_role:professional`);
      const by = compared.by as { groups: Array<{ value: string }>; excluded: Array<{ value: string; reason: string }> };
      expect(by.groups.map((g) => g.value)).not.to.include(waveId);
      expect(by.excluded.find((e) => e.value === waveId)?.reason).to.equal('below-minimum');
    });
  });

  describe('responses per day', () => {
    it('counts per week once a day has fewer responses than the minimum', async () => {
      const ids = await t.testDb.db('responses').where({ wave_id: waveId }).orderBy('id').pluck('id');
      await t.testDb.db('responses').whereIn('id', ids.slice(0, 12)).update({ submitted_on: '2026-11-23' });
      await t.testDb.db('responses').whereIn('id', ids.slice(12)).update({ submitted_on: '2026-11-25' });
      const perDay = await json(`/api/v1/waves/${waveId}/responses-per-day`) as unknown as Array<Record<string, unknown>>;
      expect(perDay).to.deep.equal([{ week: '2026-W48', from: '2026-11-23', count: 13 }]);
      const page = await get(`/waves/${waveId}`);
      expect(page.status).to.equal(200);
      expect(page.text).not.to.contain('2026-11-25');
    });

    it('counts per day while every day has at least the minimum', async () => {
      const ids = await t.testDb.db('responses').where({ wave_id: waveId }).orderBy('id').pluck('id');
      await t.testDb.db('responses').whereIn('id', ids.slice(0, 7)).update({ submitted_on: '2026-11-23' });
      await t.testDb.db('responses').whereIn('id', ids.slice(7)).update({ submitted_on: '2026-11-25' });
      const perDay = await json(`/api/v1/waves/${waveId}/responses-per-day`) as unknown as Array<Record<string, unknown>>;
      expect(perDay).to.deep.equal([{ day: '2026-11-23', count: 7 }, { day: '2026-11-25', count: 6 }]);
    });
  });
});

describe('changing a wave\'s minimum group size', () => {
  let t: TestApp;
  let admin: Account;
  let viewer: Account;
  const patch = (id: string, body: Body) => request(t.app).patch(`/api/v1/waves/${id}`).set('Authorization', `Bearer ${admin.token}`).send(body);

  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    viewer = await createUser(t.app, admin, { email: 'lezer@noord.test', role: 'viewer' });
  });
  after(async () => t.close());

  it('lowers it while no result has been shown, never below 3', async () => {
    const wave = await createWave(t.app, admin, { minGroupSize: 8 });
    expect((await patch(wave.id, { minGroupSize: 2 })).status).to.equal(422);
    const lowered = await patch(wave.id, { minGroupSize: 3 });
    expect(lowered.status, JSON.stringify(lowered.body)).to.equal(200);
    expect(lowered.body.minGroupSize).to.equal(3);
  });

  it('raises it any time, and refuses to lower it once a result has been shown (409)', async () => {
    const wave = await createWave(t.app, admin, { minGroupSize: 5 });
    await storeResponses(t.testDb.db, wave.id, times(6, professional(0)));
    // A result below the minimum shows no numbers: lowering is still allowed then.
    expect((await patch(wave.id, { minGroupSize: 10 })).status).to.equal(200);
    expect((await request(t.app).get(`/api/v1/waves/${wave.id}/results`).set('Authorization', `Bearer ${viewer.token}`)).body.suppressed).to.equal(true);
    expect((await patch(wave.id, { minGroupSize: 5 })).status).to.equal(200);
    const shown = await request(t.app).get(`/api/v1/waves/${wave.id}/results`).set('Authorization', `Bearer ${viewer.token}`);
    expect(shown.body.suppressed).to.equal(false);
    expect((await patch(wave.id, { minGroupSize: 6 })).status).to.equal(200);
    const lowered = await patch(wave.id, { minGroupSize: 5 });
    expect(lowered.status).to.equal(409);
    expect(lowered.body.error.code).to.be.a('string');
    expect((await patch(wave.id, { minGroupSize: 6 })).status).to.equal(200);
  });

  it('is not for viewers', async () => {
    const wave = await createWave(t.app, admin);
    const res = await request(t.app).patch(`/api/v1/waves/${wave.id}`).set('Authorization', `Bearer ${viewer.token}`).send({ minGroupSize: 9 });
    expect(res.status).to.equal(403);
  });
});
