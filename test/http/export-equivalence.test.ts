// The fast export writes the same file as the export before it (test/helpers/export-before.ts),
// on a seeded wave of a few thousand responses with every kind of answer and free texts full
// of quotes, separators, line breaks and formula starts: byte for byte where the rows are in
// the stored order, and the same rows (each with its blanks) where a k-anonymous export puts
// them in a random order, with its running numbers 1..n in the order written.
import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, Account } from '../helpers/app';
import { bearer } from '../helpers/csv';
import { quickscanAnswers, seededRandom } from '../helpers/quickscan-stream';
import { exportBefore, ExportQueryBefore } from '../helpers/export-before';
import { createRepositories } from '../../server/store';
import { createInstrumentCatalogue } from '../../server/instruments/catalogue';
import { testInstrumentFiles } from '../helpers/app';
import { EXPORT_HOLDS } from '../../server/csv/service';

/** Free texts that every rule of the writer meets: quotes, both separators, line breaks, formula starts, spaces, a BOM. */
const TEXTS = ['=SUM(A1)', '"Tussen aanhalingstekens", met komma; en puntkomma', 'twee\nregels', 'een\rCR', 'CRLF\r\nerin', ' spatie voor',
  'spatie na ', '-12', '-1,5', '+31 6 1234', '@iemand', '\uFEFFbom', 'é en 😀', '\ttab', 'gewoon'];

const RESPONSES = 1300; // more than two pages of the export before (500 a page), and a last page part full

async function fill(db: TestApp['testDb']['db'], waveId: string, seed: number): Promise<void> {
  const random = seededRandom(seed);
  const rows = [];
  for (let i = 0; i < RESPONSES; i++) {
    const data = quickscanAnswers(random);
    if (random() < 0.3) data.d_toelichting = TEXTS[Math.floor(random() * TEXTS.length)];
    if (random() < 0.2) data.j_open_leren = TEXTS[Math.floor(random() * TEXTS.length)];
    // Days spread over a month, so that pages end inside a day and across days.
    const day = `2026-11-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
    rows.push({ id: crypto.randomUUID(), wave_id: waveId, submission_id: crypto.randomUUID(), submitted_on: day, data: JSON.stringify(data) });
  }
  for (let i = 0; i < rows.length; i += 100) await db('responses').insert(rows.slice(i, i + 100));
}

/** A CSV text's records (a line break inside quotes stays inside its record). */
function records(text: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      out.push(text.slice(start, i));
      start = i + 2;
      i++;
    }
  }
  expect(text.slice(start), 'the file ends with a line break').to.equal('');
  return out;
}

describe('the fast CSV export writes what the export before it wrote', function () {
  this.timeout(120_000); // each case writes and compares thousands of rows twice, slow on a loaded machine
  let t: TestApp;
  let admin: Account;
  let anonymous: Awaited<ReturnType<typeof createWave>>;
  let identified: Awaited<ReturnType<typeof createWave>>;
  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    anonymous = await createWave(t.app, admin, { label: '0-meting', series: 'quickscan' });
    identified = await createWave(t.app, admin, { label: '1-meting; met naam', series: 'quickscan' });
    // The quickscan is taken anonymously only; a wave of it marked identified in the database
    // is the simplest wave whose rows go out in the stored order beside a k-anonymous one.
    await t.testDb.db('waves').where({ id: identified.id }).update({ mode: 'identified' });
    await fill(t.testDb.db, anonymous.id, 1);
    await fill(t.testDb.db, identified.id, 2);
  });
  after(async () => t.close());

  async function exportedBefore(waveIds: string[], query: Partial<ExportQueryBefore>): Promise<string> {
    const repos = createRepositories(t.testDb.db);
    const catalogue = await createInstrumentCatalogue(t.testDb.db, testInstrumentFiles());
    const loaded = [];
    for (const id of waveIds) {
      const wave = (await repos.waves.findById({ organisationId: null }, id))!;
      loaded.push({ wave, instrument: (await catalogue.byVersionId(wave.instrumentVersionId))! });
    }
    let text = '';
    for await (const chunk of exportBefore(t.testDb.db, loaded, { labels: '0', sep: ',', full: '0', texts: '0', missing: 'values', ...query })) text += chunk;
    return text;
  }

  async function now(path: string): Promise<string> {
    const res = await request(t.app).get(path).set(bearer(admin)).buffer(true)
      .parse((r, done) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => done(null, Buffer.concat(chunks).toString('utf8'))); });
    expect(res.status).to.equal(200);
    return res.body as string;
  }

  /**
   * The rows of a k-anonymous export without their running number (the order is random),
   * sorted; and the running numbers, which must be 1..n in the order written.
   */
  function unordered(text: string, delimiter: string, combined: boolean) {
    const [header, ...rows] = records(text);
    const numbers: number[] = [];
    const rest = rows.map((row) => {
      const at = combined ? row.indexOf(delimiter) + 1 : 0; // after the wave's label
      const end = row.indexOf(delimiter, at);
      numbers.push(Number(row.slice(at, end)));
      return row.slice(0, at) + row.slice(end);
    });
    return { header, rows: rest.sort(), numbers };
  }

  const queries: Array<Partial<ExportQueryBefore>> = [
    {}, { labels: '1' }, { missing: 'codes' }, { texts: '1' }, { sep: ';', texts: '1' }, { texts: '1', missing: 'codes' }, { full: '1' },
    { full: '1', missing: 'codes', sep: ';' }, { full: '1', labels: '1' },
  ];
  const search = (query: Partial<ExportQueryBefore>) => new URLSearchParams(query as Record<string, string>).toString();

  for (const query of queries) {
    it(`one wave, ${search(query) || 'no query'}`, async () => {
      for (const wave of [anonymous, identified]) {
        const expected = await exportedBefore([wave.id], query);
        const written = await now(`/api/v1/waves/${wave.id}/export.csv?${search(query)}`);
        if (wave === identified || query.full === '1') {
          expect(written === expected, 'byte for byte').to.equal(true);
          continue;
        }
        expect(expected).to.contain(query.missing === 'codes' ? '-9' : query.labels === '1' ? 'onderdrukt' : 'suppressed'); // blanks to compare
        const a = unordered(written, query.sep ?? ',', false);
        const b = unordered(expected, query.sep ?? ',', false);
        expect(a.header).to.equal(b.header);
        expect(a.rows.length).to.equal(RESPONSES);
        expect(a.rows.join('\n') === b.rows.join('\n'), 'the same rows').to.equal(true);
        expect(a.numbers).to.deep.equal(Array.from({ length: RESPONSES }, (_, i) => i + 1));
      }
    });
  }

  it('writes the same rows when it holds only part of them and reads the others again', async () => {
    const holds = EXPORT_HOLDS.chars;
    EXPORT_HOLDS.chars = 30_000; // about 200 of the 1,300 rows
    try {
      const expected = unordered(await exportedBefore([anonymous.id], { texts: '1' }), ',', false);
      const written = unordered(await now(`/api/v1/waves/${anonymous.id}/export.csv?texts=1`), ',', false);
      expect(written.rows.join('\n') === expected.rows.join('\n'), 'the same rows').to.equal(true);
      expect(written.numbers).to.deep.equal(Array.from({ length: RESPONSES }, (_, i) => i + 1));
    } finally {
      EXPORT_HOLDS.chars = holds;
    }
  });

  for (const query of [{}, { missing: 'codes' }, { full: '1', texts: '1' }] as Array<Partial<ExportQueryBefore>>) {
    it(`two waves in one file, ${search(query) || 'no query'}`, async () => {
      const expected = await exportedBefore([anonymous.id, identified.id], query);
      const written = await now(`/api/v1/export.csv?waves=${anonymous.id},${identified.id}&${search(query)}`);
      if (query.full === '1') {
        expect(written === expected, 'byte for byte').to.equal(true);
        return;
      }
      const a = unordered(written, ',', true);
      const b = unordered(expected, ',', true);
      expect(a.header).to.equal(b.header);
      expect(a.rows.join('\n') === b.rows.join('\n'), 'the same rows').to.equal(true);
      expect(a.numbers).to.deep.equal(Array.from({ length: 2 * RESPONSES }, (_, i) => i + 1));
      // The identified wave's rows follow the anonymous wave's, in the stored order.
      expect(records(written).slice(1 + RESPONSES)).to.deep.equal(records(expected).slice(1 + RESPONSES));
    });
  }
});
