// Differencing across filters on different questions: an attacker with a viewer's API key
// asks for the whole wave, each filter alone and both together (as results, as a comparison
// within a filter, as CSV), and adds and subtracts: whole − A − B + A&B is the group that is
// neither A nor B (inclusion–exclusion). Every pairwise rest can be large enough while that
// group is one person. The cell rule (server/results/disclosure.ts, docs/privacy.md) keeps
// every group of the partition by the filters 0 or at least the minimum, for respondents and
// for the answerers of each item; this test is the attacker, and must recover nobody.
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createUser, createWave, Account } from '../helpers/app';
import { storeResponses, times } from '../helpers/results';

const MIN = 5;
const A = 'b_role:professional';
const B = 'c_ervaring:ja';
const ITEM = 'e_wenselijk';

const professional = (ervaring: string, wenselijk?: number) => ({
  b_role: 'professional', b_sector: ['vrouwenopvang'], c_ervaring: ervaring, c_collegas: 'nee', ...(wenselijk === undefined ? {} : { e_wenselijk: wenselijk }),
});
const student = (ervaring: string, wenselijk?: number) => ({
  b_role: 'student', b_instelling: 'han', c_ervaring: ervaring, c_collegas: 'nee', ...(wenselijk === undefined ? {} : { e_wenselijk: wenselijk }),
});

type Body = Record<string, unknown>;
type Key = 'W' | 'A' | 'B' | 'AB';

describe('differencing across filters on different questions (inclusion–exclusion)', () => {
  let t: TestApp;
  let viewer: Account;
  let admin: Account;

  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    viewer = await createUser(t.app, admin, { email: 'lezer@noord.test', role: 'viewer' });
  });
  after(async () => t.close());

  const json = async (path: string): Promise<Body> => {
    const res = await request(t.app).get(path).set('Authorization', `Bearer ${viewer.token}`);
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).to.equal(200);
    return res.body as Body;
  };

  /**
   * Everything the API tells about the four selections: respondents (n) and the item's
   * answerers and their answers, from results, from comparisons and from the results CSV.
   * Each value is what some route showed; routes that show the same selection must agree.
   */
  async function attack(waveId: string) {
    const groups = new Map<Key, number>();
    const item = new Map<Key, Map<string, number>>();
    const learn = (map: Map<Key, unknown>, key: Key, value: unknown, from: string) => {
      if (map.has(key)) expect(JSON.stringify(map.get(key)), `${key} from ${from}`).to.equal(JSON.stringify(value));
      else map.set(key, value);
    };
    const fromResults = async (key: Key, filters: string[]) => {
      const query = filters.map((f) => `filter=${f}`).join('&');
      const body = await json(`/api/v1/waves/${waveId}/results?${query}`);
      if (body.suppressed || body.n === null) return;
      learn(groups as Map<Key, unknown>, key, body.n, `results ${query}`);
      const q = (body.questions as Array<{ name: string; n: number | null; suppressed: boolean; options: Array<{ value: unknown; count?: number }> }>).find((x) => x.name === ITEM);
      if (q && !q.suppressed && q.n !== null) {
        learn(item as Map<Key, unknown>, key, new Map(q.options.filter((o) => (o.count ?? 0) > 0).map((o) => [String(o.value), o.count!])), `results ${query}`);
      }
      // The CSV of the same selection says the same or less.
      const csv = await request(t.app).get(`/api/v1/waves/${waveId}/results.csv?${query}`).set('Authorization', `Bearer ${viewer.token}`);
      expect(csv.status).to.equal(200);
    };
    /** A comparison by `by` within `filter`: its groups are selections too. */
    const fromCompare = async (by: string, filter: string | null, keyOf: (group: string) => Key | null) => {
      const body = await json(`/api/v1/waves/${waveId}/compare?by=${by}${filter ? `&filter=${filter}` : ''}`);
      if (body.suppressed) return;
      const compared = body.by as { groups: Array<{ value: unknown; n: number }> };
      for (const g of compared.groups) {
        const key = keyOf(String(g.value));
        if (key) learn(groups as Map<Key, unknown>, key, g.n, `compare by ${by} within ${filter}`);
      }
      const row = (body.items as Array<{ name: string; groups: unknown[]; categories: unknown[]; counts?: number[][] }>).find((i) => i.name === ITEM);
      if (!row?.counts) return;
      row.groups.forEach((value, gi) => {
        const key = keyOf(String(value));
        if (!key) return;
        const answers = new Map<string, number>();
        row.categories.forEach((c, ci) => { if (row.counts![gi][ci] > 0) answers.set(String(c), row.counts![gi][ci]); });
        learn(item as Map<Key, unknown>, key, answers, `compare by ${by} within ${filter}`);
      });
    };
    await fromResults('W', []);
    await fromResults('A', [A]);
    await fromResults('B', [B]);
    await fromResults('AB', [A, B]);
    await fromCompare('b_role', null, (g) => (g === 'professional' ? 'A' : null));
    await fromCompare('c_ervaring', null, (g) => (g === 'ja' ? 'B' : null));
    await fromCompare('c_ervaring', A, (g) => (g === 'ja' ? 'AB' : null));
    await fromCompare('b_role', B, (g) => (g === 'professional' ? 'AB' : null));
    return { groups, item };
  }

  /** whole − A − B + A&B, where all four are known. */
  const neither = (known: Map<Key, number>) => (['W', 'A', 'B', 'AB'] as Key[]).every((k) => known.has(k))
    ? known.get('W')! - known.get('A')! - known.get('B')! + known.get('AB')! : null;
  const answersOfNeither = (known: Map<Key, Map<string, number>>) => {
    if (!(['W', 'A', 'B', 'AB'] as Key[]).every((k) => known.has(k))) return null;
    const out = new Map<string, number>();
    for (const [k, sign] of [['W', 1], ['A', -1], ['B', -1], ['AB', 1]] as Array<[Key, number]>) {
      for (const [value, n] of known.get(k)!) out.set(value, (out.get(value) ?? 0) + sign * n);
    }
    return [...out].filter(([, n]) => n !== 0);
  };
  const safe = (n: number | null) => n === null || n === 0 || n >= MIN;

  it('recovers no group of one: 5 professionals with and 5 without experience, 5 students with, 1 student without', async () => {
    const wave = (await createWave(t.app, admin, { label: 'Overlap', minGroupSize: MIN })).id;
    await storeResponses(t.testDb.db, wave, [
      ...times(5, professional('ja', 3)), ...times(5, professional('nee', 3)), ...times(5, student('ja', 3)), student('nee', 1),
    ]);
    const { groups, item } = await attack(wave);
    const cell = neither(groups);
    expect(safe(cell), `the one student without experience, recovered: n = ${cell}; her ${ITEM}: ${JSON.stringify(answersOfNeither(item))}`).to.equal(true);
    const answered = answersOfNeither(item);
    expect(answered === null || safe(answered.reduce((k, [, n]) => k + n, 0)), `${ITEM} of the neither group: ${JSON.stringify(answered)}`).to.equal(true);
    // What a careful analyst may still see: the whole wave and each filter alone.
    expect(groups.get('W')).to.equal(16);
    expect(groups.get('A')).to.equal(10);
  });

  it('recovers no single answer where every group is large enough but one item was answered by one of a group', async () => {
    const wave = (await createWave(t.app, admin, { label: 'Overlap item', minGroupSize: MIN })).id;
    await storeResponses(t.testDb.db, wave, [
      ...times(5, professional('ja', 3)), ...times(5, professional('nee', 3)), ...times(5, student('ja', 3)),
      ...times(4, student('nee')), student('nee', 1),
    ]);
    const { groups, item } = await attack(wave);
    expect(neither(groups)).to.equal(5); // the groups themselves are all large enough: A&B is shown
    const answered = answersOfNeither(item);
    expect(answered === null || safe(answered.reduce((k, [, n]) => k + n, 0)), `${ITEM} of the one who answered it among the neither group: ${JSON.stringify(answered)}`).to.equal(true);
  });

  it('recovers no answer from the TNO table columns within a filter (tabel8 by role, within "knows colleagues")', async () => {
    // t8_scholing is asked of those with own experience: 5 + 5 professionals and 5 + 1 students
    // answered it, split by c_collegas; many more without experience keep every group large.
    const person = (role: string, collegas: string, t8?: number) => ({
      ...(role === 'professional' ? professional(t8 === undefined ? 'nee' : 'ja', 3) : student(t8 === undefined ? 'nee' : 'ja', 3)),
      c_collegas: collegas, ...(t8 === undefined ? {} : { t8_scholing: t8 }),
    });
    const wave = (await createWave(t.app, admin, { label: 'Overlap tabel', minGroupSize: MIN })).id;
    await storeResponses(t.testDb.db, wave, [
      ...times(5, person('professional', 'ja', 2)), ...times(5, person('professional', 'nee', 2)), ...times(5, person('student', 'ja', 2)),
      person('student', 'nee', 4),
      ...times(5, person('professional', 'ja')), ...times(5, person('professional', 'nee')), ...times(5, person('student', 'ja')), ...times(5, person('student', 'nee')),
    ]);
    type Column = { value: string | null; counts?: number[] };
    const columns = async (filter: string) => {
      const body = await json(`/api/v1/waves/${wave}/summary${filter ? `?filter=${filter}` : ''}`);
      const tno = body.tno as { tables: Array<{ id: string; options: Array<{ value: unknown }>; groups?: Column[] }> } | null;
      const table = tno?.tables.find((x) => x.id === 'tabel8');
      return { options: (table?.options ?? []).map((o) => String(o.value)), groups: table?.groups ?? [] };
    };
    const whole = await columns('');
    const within = await columns('c_collegas:ja');
    const column = (c: { groups: Column[] }, value: string | null) => c.groups.find((g) => g.value === value)?.counts ?? null;
    const parts = [column(whole, null), column(whole, 'professional'), column(within, null), column(within, 'professional')];
    if (parts.every((p) => p !== null)) {
      // Students who do not know colleagues with experience: whole − professionals − knows + professionals who know.
      const neither = parts[0]!.map((n, i) => n - parts[1]![i] - parts[2]![i] + parts[3]![i]);
      const total = neither.reduce((a, b) => a + b, 0);
      expect(safe(total), `t8_scholing of the one student who does not know colleagues: ${JSON.stringify(neither)} over ${whole.options}`).to.equal(true);
    }
  });

  it('still shows two filters together where every group of their partition is large enough', async () => {
    const wave = (await createWave(t.app, admin, { label: 'Overlap groot', minGroupSize: MIN })).id;
    await storeResponses(t.testDb.db, wave, [
      ...times(5, professional('ja', 3)), ...times(5, professional('nee', 3)), ...times(5, student('ja', 3)), ...times(5, student('nee', 2)),
    ]);
    const both = await json(`/api/v1/waves/${wave}/results?filter=${A}&filter=${B}`);
    expect(both).to.include({ n: 5, suppressed: false });
  });
});
