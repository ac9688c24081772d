// An attacker with a copy of the database files (a stolen backup, a disk image, a curious
// host): can they order the anonymous responses by arrival, or link an interview contact to
// the answers of the same respondent? Each test does what that attacker would do: the
// joins on xmin and the orders by ctid or rowid (PostgreSQL, SQLite), and a byte search of
// the SQLite file and its WAL. Before sealing, rows wait pending and may be linkable
// (docs/privacy.md); after sealing nothing is.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, Account } from '../helpers/app';
import { studentWithoutExperience } from '../helpers/tno';
import { onPostgres } from '../helpers/db';
import { msUntilNextDayInNetherlands } from '../../server/sealing/sealer';

const MIN = 5;

describe('a copy of the database', () => {
  let t: TestApp;
  let admin: Account;
  let wave: Awaited<ReturnType<typeof createWave>>;

  beforeEach(async () => {
    // Sealing only when the test says so (or a results read does).
    // Scrubbing after every seal: a test reads the files right after its second seal.
    t = await createTestApp({}, { sealing: { delayMs: 3_600_000, intervalMs: 0, scrubEveryMs: 0 } });
    admin = await setupAdmin(t.app);
    wave = await createWave(t.app, admin, { minGroupSize: MIN });
  });
  afterEach(async () => t.close());

  const db = () => t.testDb.db;
  const answerMarker = (i: number) => `Antwoordmarker-${i}-${'q'.repeat(12)}`;
  const contactMarker = (i: number) => `Contactmarker-${i}-${'z'.repeat(12)}`;

  /** Submits respondent i, with a free-text answer and an interview contact that name i. */
  async function submit(i: number): Promise<void> {
    const data = { ...studentWithoutExperience(), e_toelichting: answerMarker(i), m_interview: 'ja', m_contact: { naam: contactMarker(i), telefoon: `06${String(i).padStart(8, '0')}` } };
    const res = await request(t.app).post(`/s/${wave.token}/responses`).send({ submissionId: crypto.randomUUID(), data });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
  }

  /** Which respondent a stored response or answer row belongs to, by its marker. */
  const respondentOf = (text: string) => Number(/Antwoordmarker-(\d+)-/.exec(text)?.[1] ?? NaN);
  const respondentOfContact = (text: string) => Number(/Contactmarker-(\d+)-/.exec(text)?.[1] ?? NaN);
  const inOrder = (order: number[]) => order.every((v, i) => i === 0 || order[i - 1] < v);
  const reversed = (order: number[]) => order.every((v, i) => i === 0 || order[i - 1] > v);

  const COUNT = 12; // a random order of 12 is the submission order once in 479 million

  /**
   * Two batches of COUNT: an anonymous wave holds its last sealed batch back from the results
   * (server/sealing/repository.ts), so the second seal releases respondents 0..COUNT-1 to
   * responses and holds COUNT..2·COUNT-1, rewritten, in pending_responses.
   */
  async function twoBatches(): Promise<void> {
    for (let i = 0; i < COUNT; i++) await submit(i);
    expect(await t.app.locals.sealer.sealDue()).to.equal(COUNT);
    for (let i = COUNT; i < 2 * COUNT; i++) await submit(i);
    expect(await t.app.locals.sealer.sealDue()).to.equal(COUNT);
    expect(Number((await db()('pending_responses').where({ held: false }).count({ n: '*' }).first())!.n), 'not sealed').to.equal(0);
    expect(Number((await db()('pending_responses').where({ held: true }).count({ n: '*' }).first())!.n), 'held').to.equal(COUNT);
  }

  it('writes a response and its contact details in different transactions, even before sealing', async function beforeSeal() {
    if (!onPostgres) this.skip(); // xmin is PostgreSQL's; SQLite's WAL is covered below
    for (let i = 0; i < 3; i++) await submit(i);
    const joined = await db().raw('select c.details, r.data from pending_contacts c join pending_responses r on r.xmin = c.xmin');
    expect(joined.rows).to.have.length(0);
  });

  it('once sealed, links no contact to its response by transaction and orders nothing by arrival (PostgreSQL)', async function postgres() {
    if (!onPostgres) this.skip();
    await twoBatches();

    // The join: none of the contacts finds its own answers.
    const joined = await db().raw('select c.details, r.data from contact_requests c join responses r on r.xmin = c.xmin');
    expect(joined.rows).to.have.length(0);
    // Nor by the next or previous transaction: each contact is as near to every response of the batch.
    const near = await db().raw(`select c.details, r.data from contact_requests c join responses r
      on abs(r.xmin::text::bigint - c.xmin::text::bigint) <= 1`);
    const perContact = new Map<number, number>();
    for (const row of near.rows as Array<{ details: string }>) perContact.set(respondentOfContact(row.details), (perContact.get(respondentOfContact(row.details)) ?? 0) + 1);
    for (const n of perContact.values()) expect(n).to.equal(COUNT);
    // The held batch: no contact on its transaction, and none next to it but all of the batch alike.
    expect((await db().raw('select 1 from contact_requests c join pending_responses r on r.xmin = c.xmin')).rows).to.have.length(0);
    const nearHeld = await db().raw(`select c.details from contact_requests c join pending_responses r
      on abs(r.xmin::text::bigint - c.xmin::text::bigint) <= 1`);
    const perContactHeld = new Map<number, number>();
    for (const row of nearHeld.rows as Array<{ details: string }>) perContactHeld.set(respondentOfContact(row.details), (perContactHeld.get(respondentOfContact(row.details)) ?? 0) + 1);
    for (const n of perContactHeld.values()) expect(n).to.equal(COUNT);

    // One xmin for the whole batch, in responses and answers alike, and for the held batch.
    const xmins = await db().raw('select distinct xmin::text as x from responses union select distinct xmin::text from answers');
    expect(xmins.rows).to.have.length(1);
    expect((await db().raw('select distinct xmin::text as x from pending_responses')).rows).to.have.length(1);
    const contactXmins = await db().raw('select distinct xmin::text as x from contact_requests');
    expect(contactXmins.rows).to.have.length(2); // one per batch

    // Physical order (ctid) of responses, answers and contacts: not the order of arrival.
    const responses = (await db().raw('select data from responses order by ctid')).rows.map((r: { data: string }) => respondentOf(r.data));
    expect(responses).to.have.length(COUNT);
    expect(inOrder(responses) || reversed(responses), `responses by ctid: ${responses}`).to.equal(false);
    const answers = (await db().raw("select text from answers where question = 'e_toelichting' order by ctid")).rows.map((r: { text: string }) => respondentOf(r.text));
    expect(inOrder(answers) || reversed(answers), `answers by ctid: ${answers}`).to.equal(false);
    const contacts = (await db().raw('select details from contact_requests order by ctid')).rows.map((r: { details: string }) => respondentOfContact(r.details));
    expect(inOrder(contacts) || reversed(contacts), `contacts by ctid: ${contacts}`).to.equal(false);
    const held = (await db().raw('select data from pending_responses order by ctid')).rows.map((r: { data: string }) => respondentOf(r.data));
    expect(held.every((i: number) => i >= COUNT), 'the second batch is held').to.equal(true);
    expect(inOrder(held) || reversed(held), `held by ctid: ${held}`).to.equal(false);
    // Nothing left pending but the held batch.
    expect((await db().raw('select count(*)::int as n from pending_responses')).rows[0].n).to.equal(COUNT);
    expect((await db().raw('select count(*)::int as n from pending_contacts')).rows[0].n).to.equal(0);
  });

  it('once sealed, orders nothing by rowid and leaves nothing in the WAL or in free pages (SQLite)', async function sqlite() {
    if (onPostgres) this.skip();
    await twoBatches();

    const responses = (await db().raw('select data from responses order by rowid')).map((r: { data: string }) => respondentOf(r.data));
    expect(responses).to.have.length(COUNT);
    expect(inOrder(responses) || reversed(responses), `responses by rowid: ${responses}`).to.equal(false);
    const answers = (await db().raw("select text from answers where question = 'e_toelichting' order by rowid")).map((r: { text: string }) => respondentOf(r.text));
    expect(answers).to.have.length(COUNT);
    expect(inOrder(answers) || reversed(answers), `answers by rowid: ${answers}`).to.equal(false);
    // The held batch: pending_responses is WITHOUT ROWID, stored in the order of its random key.
    const held = (await db().raw('select data from pending_responses order by id')).map((r: { data: string }) => respondentOf(r.data));
    expect(held.every((i: number) => i >= COUNT), 'the second batch is held').to.equal(true);
    expect(inOrder(held) || reversed(held), `held by key: ${held}`).to.equal(false);

    // The files as an attacker would read them: the WAL is empty, and the main file holds
    // each answer exactly where the sealed rows hold it (the response's data and its answer
    // row; a held one in its data and its answers) and each contact once: no copy from before
    // the seal in a free page or a freed cell.
    const wal = `${t.testDb.file}-wal`;
    expect(fs.existsSync(wal) ? fs.statSync(wal).size : 0, 'bytes left in the WAL').to.equal(0);
    const file = fs.readFileSync(t.testDb.file!);
    const occurrences = (marker: string) => {
      let n = 0;
      for (let at = file.indexOf(marker); at >= 0; at = file.indexOf(marker, at + 1)) n += 1;
      return n;
    };
    for (let i = 0; i < 2 * COUNT; i++) {
      expect(occurrences(answerMarker(i)), `answer ${i}`).to.equal(2);
      expect(occurrences(contactMarker(i)), `contact ${i}`).to.equal(1);
    }
  });

  it('keeps responses pending below the minimum, and seals them all once the wave closes', async () => {
    for (let i = 0; i < MIN - 1; i++) await submit(i);
    expect(await t.app.locals.sealer.sealDue()).to.equal(0);
    expect(Number((await db()('responses').count({ n: '*' }).first())!.n)).to.equal(0);
    expect(Number((await db()('contact_requests').count({ n: '*' }).first())!.n)).to.equal(0);
    const closed = await request(t.app).patch(`/api/v1/waves/${wave.id}`).set('Authorization', `Bearer ${admin.token}`).send({ status: 'closed' });
    expect(closed.status, JSON.stringify(closed.body)).to.equal(200);
    // The close itself sealed them (waves/service.ts): nothing is left for the next run.
    expect(await t.app.locals.sealer.sealDue()).to.equal(0);
    expect(Number((await db()('responses').count({ n: '*' }).first())!.n)).to.equal(MIN - 1);
    expect(Number((await db()('contact_requests').count({ n: '*' }).first())!.n)).to.equal(MIN - 1);
    expect(Number((await db()('pending_contacts').count({ n: '*' }).first())!.n)).to.equal(0);
  });
});

describe('closing a wave', () => {
  let t: TestApp;
  let admin: Account;
  beforeEach(async () => {
    // No timer seals here: what is sealed, the close itself sealed.
    t = await createTestApp({}, { sealing: { delayMs: 3_600_000, intervalMs: 0 } });
    admin = await setupAdmin(t.app);
  });
  afterEach(async () => t.close());

  const COUNT = 9; // below two minimums: an open wave keeps the last 4 pending; in order once in 181,440
  const marker = (i: number) => `Sluitmarker-${i}-${'k'.repeat(10)}`;
  const respondentOf = (text: string) => Number(/Sluitmarker-(\d+)-/.exec(text)?.[1] ?? NaN);

  async function filledWave(): Promise<string> {
    const wave = await createWave(t.app, admin, { minGroupSize: MIN });
    for (let i = 0; i < COUNT; i++) {
      const data = { ...studentWithoutExperience(), e_toelichting: marker(i) };
      expect((await request(t.app).post(`/s/${wave.token}/responses`).send({ submissionId: crypto.randomUUID(), data })).status).to.equal(201);
    }
    return wave.id;
  }

  /** What a copy of the files made right after the close holds: nothing pending, and no arrival order. */
  async function expectSealedWithoutOrder(waveId: string): Promise<void> {
    const db = t.testDb.db;
    expect(Number((await db('pending_responses').where({ wave_id: waveId }).count({ n: '*' }).first())!.n), 'pending').to.equal(0);
    const physical = onPostgres ? 'ctid' : 'rowid';
    const rows = await db.raw(`select data from responses where wave_id = ? order by ${physical}`, [waveId]);
    const order = (onPostgres ? rows.rows : rows).map((r: { data: string }) => respondentOf(r.data));
    expect(order).to.have.length(COUNT);
    const ascending = order.every((v: number, i: number) => i === 0 || order[i - 1] < v);
    const descending = order.every((v: number, i: number) => i === 0 || order[i - 1] > v);
    expect(ascending || descending, `responses by ${physical}: ${order}`).to.equal(false);
  }

  it('seals every pending response before the close is answered (PATCH status closed)', async () => {
    const waveId = await filledWave();
    const closed = await request(t.app).patch(`/api/v1/waves/${waveId}`).set('Authorization', `Bearer ${admin.token}`).send({ status: 'closed' });
    expect(closed.status, JSON.stringify(closed.body)).to.equal(200);
    await expectSealedWithoutOrder(waveId);
  });

  it('seals them when the closing day is moved into the past, and from the wave page\'s form', async () => {
    const waveId = await filledWave();
    const patched = await request(t.app).patch(`/api/v1/waves/${waveId}`).set('Authorization', `Bearer ${admin.token}`).send({ closesAt: '2020-01-01' });
    expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
    await expectSealedWithoutOrder(waveId);
    const other = await filledWave();
    const form = await request(t.app).post(`/waves/${other}/status`).set('Authorization', `Bearer ${admin.token}`).type('form').send({ status: 'closed' });
    expect(form.status).to.equal(303);
    await expectSealedWithoutOrder(other);
  });

  it('knows when the next day begins in the Netherlands, for the waves whose closing day passes at midnight', () => {
    // 22:59:30 UTC is 23:59:30 in Amsterdam in winter (UTC+1), 00:59:30 in summer (UTC+2).
    expect(msUntilNextDayInNetherlands(new Date('2026-01-15T22:59:30.000Z'))).to.equal(30_000);
    expect(msUntilNextDayInNetherlands(new Date('2026-07-15T21:59:30.000Z'))).to.equal(30_000);
    expect(msUntilNextDayInNetherlands(new Date('2026-07-15T22:00:00.000Z'))).to.equal(86_400_000);
  });
});

describe('sealing in the background', () => {
  let t: TestApp;
  afterEach(async () => t.close());

  it('seals a wave soon after its minimum of pending responses has come in, without a read, and holds the batch back', async () => {
    t = await createTestApp({}, { sealing: { delayMs: 10, intervalMs: 0 } });
    const admin = await setupAdmin(t.app);
    const wave = await createWave(t.app, admin, { minGroupSize: MIN });
    // Sealed and held back (server/sealing/repository.ts): rewritten with held = true.
    const sealed = async () => Number((await t.testDb.db('pending_responses').where({ held: true }).count({ n: '*' }).first())!.n);
    for (let i = 0; i < MIN; i++) {
      expect((await request(t.app).post(`/s/${wave.token}/responses`).send({ submissionId: crypto.randomUUID(), data: studentWithoutExperience() })).status).to.equal(201);
    }
    const deadline = Date.now() + 10_000;
    while ((await sealed()) < MIN) {
      if (Date.now() > deadline) throw new Error(`${await sealed()} sealed after 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(Number((await t.testDb.db('pending_responses').where({ held: false }).count({ n: '*' }).first())!.n)).to.equal(0);
    expect(Number((await t.testDb.db('responses').count({ n: '*' }).first())!.n), 'released').to.equal(0);
  });
});

describe('results while a wave is open', () => {
  let t: TestApp;
  afterEach(async () => t.close());

  it('change only in steps of at least the minimum: one more response changes nothing until the minimum of new ones has come in after the held batch', async () => {
    t = await createTestApp({}, { sealing: { delayMs: 3_600_000, intervalMs: 0 } });
    const admin = await setupAdmin(t.app);
    const wave = await createWave(t.app, admin, { minGroupSize: MIN });
    const submit = async (i: number) => {
      const data = { ...studentWithoutExperience(), e_wenselijk: 1 + (i % 4) };
      expect((await request(t.app).post(`/s/${wave.token}/responses`).send({ submissionId: crypto.randomUUID(), data })).status).to.equal(201);
    };
    // The results, and apart from them how many responses wait (a total that says only that
    // someone answered, as the wave's response count does, never what).
    const results = async () => {
      const res = await request(t.app).get(`/api/v1/waves/${wave.id}/results`).set('Authorization', `Bearer ${admin.token}`);
      expect(res.status).to.equal(200);
      const { awaiting, ...waveHead } = res.body.wave as { awaiting: number };
      return { awaiting, body: { ...res.body, wave: waveHead } as { n: number } };
    };
    // The first batch is sealed and held back: results count nobody yet.
    for (let i = 0; i < MIN; i++) await submit(i);
    const first = await results();
    expect(first.awaiting).to.equal(MIN);
    for (let i = MIN; i < 2 * MIN - 1; i++) {
      await submit(i);
      const now = await results();
      expect(now.body, `after response ${i + 1}`).to.deep.equal(first.body);
      expect(now.awaiting).to.equal(i + 1);
    }
    const page = await request(t.app).get(`/waves/${wave.id}/results`).set('Authorization', `Bearer ${admin.token}`).set('Accept', 'text/html');
    expect(page.text).to.contain(`Nog niet meegeteld: ${2 * MIN - 1} antwoord(en)`);
    // A second batch: the first is released, the second held.
    await submit(2 * MIN - 1);
    const second = await results();
    expect(second.body.n).to.equal(MIN);
    expect(second.awaiting).to.equal(MIN);
    for (let i = 2 * MIN; i < 3 * MIN - 1; i++) {
      await submit(i);
      const now = await results();
      expect(now.body, `after response ${i + 1}`).to.deep.equal(second.body);
    }
    await submit(3 * MIN - 1);
    const third = await results();
    expect(third.body.n).to.equal(2 * MIN);
    expect(third.awaiting).to.equal(MIN);
  });
});
