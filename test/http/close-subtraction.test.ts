// The attacker who looks at the results just before and just after a wave closes (a viewer,
// or a manager who chooses when to close). While a wave is open results change in steps of
// at least the minimum; closing seals whatever waits, and if that last part is smaller than
// the minimum, after − before would be what those few answered together. Each test reads the
// results the way that attacker would (every read kept, any two subtracted) and checks that
// no two reads differ by a group of 1 to minimum − 1 respondents. docs/privacy.md, rule 9.
import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, Account } from '../helpers/app';
import { studentWithoutExperience } from '../helpers/tno';

const MIN = 5;

interface Read { n: number | null; wenselijk: Map<string, number> }

describe('closing a wave, read by someone who subtracts', () => {
  let t: TestApp;
  let admin: Account;
  let wave: Awaited<ReturnType<typeof createWave>>;
  const reads: Read[] = [];

  beforeEach(async () => {
    // Sealing only when a read or a close asks, as a quiet afternoon would have it.
    t = await createTestApp({}, { sealing: { delayMs: 3_600_000, intervalMs: 0 } });
    admin = await setupAdmin(t.app);
    wave = await createWave(t.app, admin, { minGroupSize: MIN });
    reads.length = 0;
  });
  afterEach(async () => t.close());

  /** The many answer "1"; the last few answer "4", so that what they said is easy to see. */
  async function submit(value: number): Promise<void> {
    const data = { ...studentWithoutExperience(), e_wenselijk: value };
    const res = await request(t.app).post(`/s/${wave.token}/responses`).send({ submissionId: crypto.randomUUID(), data });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
  }

  /** Reads the wave's results as the attacker does, and keeps the read. */
  async function read(): Promise<Read> {
    const res = await request(t.app).get(`/api/v1/waves/${wave.id}/results`).set('Authorization', `Bearer ${admin.token}`);
    expect(res.status).to.equal(200);
    type Option = { value: unknown; count?: number };
    const question = (res.body.questions as Array<{ name: string; options: Option[] }>).find((q) => q.name === 'e_wenselijk');
    const wenselijk = new Map<string, number>();
    for (const o of question?.options ?? []) wenselijk.set(String(o.value), o.count ?? 0);
    const r: Read = { n: res.body.suppressed ? 0 : (res.body.n as number), wenselijk };
    reads.push(r);
    return r;
  }

  async function close(how: 'api' | 'form' | 'closing day'): Promise<void> {
    const auth = { Authorization: `Bearer ${admin.token}` };
    if (how === 'form') {
      expect((await request(t.app).post(`/waves/${wave.id}/status`).set(auth).type('form').send({ status: 'closed' })).status).to.equal(303);
    } else {
      const body = how === 'api' ? { status: 'closed' } : { closesAt: '2020-01-01' };
      const res = await request(t.app).patch(`/api/v1/waves/${wave.id}`).set(auth).send(body);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
    }
  }

  /** Every pair of reads subtracted: a difference of 1 to MIN − 1 respondents recovers what they answered. */
  function recovered(): string[] {
    const found: string[] = [];
    for (let i = 0; i < reads.length; i++) {
      for (let j = i + 1; j < reads.length; j++) {
        const d = (reads[j].n ?? 0) - (reads[i].n ?? 0);
        if (d === 0 || d >= MIN) continue;
        const answers = [...reads[j].wenselijk].map(([v, c]) => `${v}×${c - (reads[i].wenselijk.get(v) ?? 0)}`).filter((s) => !s.endsWith('×0'));
        found.push(`read ${j} − read ${i}: ${d} respondent(s), e_wenselijk ${answers.join(', ')}`);
      }
    }
    return found;
  }

  for (const how of ['api', 'form', 'closing day'] as const) {
    it(`recovers nothing of the last two respondents from the results just before and after a close (${how})`, async () => {
      for (let i = 0; i < MIN; i++) await submit(1);
      await read();
      for (let i = 0; i < MIN; i++) await submit(1);
      await read();
      await submit(4);
      await submit(4);
      const before = await read();
      await close(how);
      const after = await read();
      expect(recovered(), 'what subtracting two reads gives').to.deep.equal([]);
      // Nobody's answer is lost: all 12 count once the wave is closed.
      expect(after.n).to.equal(2 * MIN + 2);
      expect(after.wenselijk.get('4')).to.equal(2);
      expect(before.wenselijk.get('4') ?? 0).to.equal(0);
    });
  }

  it('shows a wave smaller than the minimum in one step at the close, as it always did (nothing was shown before)', async () => {
    for (let i = 0; i < MIN - 2; i++) await submit(1);
    await read();
    await close('api');
    const after = await read();
    expect(after.n).to.equal(0); // suppressed: fewer than the minimum
    expect(Number((await t.testDb.db('responses').where({ wave_id: wave.id }).count({ n: '*' }).first())!.n)).to.equal(MIN - 2);
    expect(recovered()).to.deep.equal([]);
  });

  it('keeps two responses of a reopened wave out of the results at its second close, and says so', async () => {
    for (let i = 0; i < 2 * MIN; i++) await submit(1);
    await read();
    await close('api');
    expect((await read()).n).to.equal(2 * MIN);
    const reopened = await request(t.app).patch(`/api/v1/waves/${wave.id}`).set('Authorization', `Bearer ${admin.token}`).send({ status: 'open' });
    expect(reopened.status).to.equal(200);
    await submit(4);
    await submit(4);
    await read();
    await close('api');
    const after = await read();
    expect(recovered()).to.deep.equal([]);
    expect(after.n).to.equal(2 * MIN);
    // Not silently: the wave, its results and its page say how many do not count yet.
    const json = await request(t.app).get(`/api/v1/waves/${wave.id}`).set('Authorization', `Bearer ${admin.token}`);
    expect(json.body.awaiting).to.equal(2);
    expect(json.body.responses).to.equal(2 * MIN + 2);
    const page = await request(t.app).get(`/waves/${wave.id}`).set('Authorization', `Bearer ${admin.token}`).set('Accept', 'text/html');
    expect(page.text).to.contain('data-testid="awaiting-held"');
    // Reopened, with enough new ones, they count.
    await request(t.app).patch(`/api/v1/waves/${wave.id}`).set('Authorization', `Bearer ${admin.token}`).send({ status: 'open' });
    for (let i = 0; i < MIN; i++) await submit(1);
    await read();
    await close('api');
    const last = await read();
    expect(recovered()).to.deep.equal([]);
    expect(last.n).to.equal(3 * MIN + 2);
    expect(last.wenselijk.get('4')).to.equal(2);
  });

  it('warns on the wave page before closing when responses wait, with how many', async () => {
    for (let i = 0; i < MIN + 2; i++) await submit(1);
    await read();
    const json = await request(t.app).get(`/api/v1/waves/${wave.id}`).set('Authorization', `Bearer ${admin.token}`);
    expect(json.body.awaiting).to.equal(MIN + 2);
    const page = await request(t.app).get(`/waves/${wave.id}`).set('Authorization', `Bearer ${admin.token}`).set('Accept', 'text/html');
    expect(page.text).to.match(/data-testid="awaiting-close"[^>]*>[^<]*7 antwoord/);
  });
});
