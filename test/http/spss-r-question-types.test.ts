// The SPSS syntax and the R script of an instrument with every answer type beyond the
// quickscan's: rating, boolean, tagbox, a typed number, a ranking, a matrix dropdown (radio,
// dropdown and checkbox cells), a dynamic matrix and a dynamic panel. PSPP and R read the
// coded export and must count what Spiegel counts: the results API for the closed questions,
// the mean rank and first places of the ranking and the mean of the number; for table cells
// (which the results show as answered counts only) the stored answer rows the results are
// computed from. Skipped, saying so, where pspp or Rscript is missing.
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { Account, createTestApp, createWave, dbOf, setupAdmin, TestApp } from '../helpers/app';
import { answerCounts, bearer, exportCsv, importCsv, rowsOf, submit } from '../helpers/csv';
import { sealPending } from '../helpers/seal';
import { INSTRUMENT } from '../helpers/all-types';
import { psppFrequencies as psppCounts } from '../helpers/pspp';

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
function needs(tool: 'pspp' | 'Rscript'): Mocha.TestFunction | ((title: string, fn: Mocha.AsyncFunc) => Mocha.Test) {
  if (has(tool)) return it;
  return (title: string, fn: Mocha.AsyncFunc) => {
    console.warn(`skipped: ${tool} is not installed (apt-get install ${tool === 'pspp' ? 'pspp' : 'r-base-core'}): ${title}`);
    return it.skip(`${title} [skipped: ${tool} is not installed]`, fn);
  };
}

const RANKINGS = [['veilig', 'wonen', 'werk'], ['wonen', 'veilig', 'werk'], ['werk', 'veilig', 'wonen'], ['veilig', 'werk', 'wonen']];

/** Respondent i: varied, deterministic; every fourth leaves the tables alone. */
function respondent(i: number): Record<string, unknown> {
  const data: Record<string, unknown> = {
    tevreden: 1 + (i % 5),
    alleen: i % 3 === 0,
    hulp: [['geld'], ['huis', 'werk'], ['geld', 'werk'], ['werk']][i % 4],
    jaren: (i * 7) % 23,
    prioriteit: RANKINGS[i % RANKINGS.length],
    // Number items: one typed as a number, one a text with a numeric validator, as the browser sends it (a Dutch comma too).
    maten: { lengte: 150 + (i % 7) * 5, gewicht: gewicht(i), merk: `merk ${i % 3}` },
    // One month only one respondent has: the k-anonymous export must not print it.
    sinds: i === 0 ? '2019-05-05' : `2020-0${1 + (i % 3)}-${10 + (i % 9)}`,
    jarenplus: 99, // computed by the page; never stored
  };
  if (i % 4 === 3) return data;
  data.diensten = {
    opvang: { gebruik: i % 2, cijfer: 1 + (i % 5), soort: i % 3 === 0 ? ['x', 'y'] : ['x'] },
    ...(i % 2 === 0 ? { ambulant: { gebruik: 1, cijfer: 3 } } : {}),
  };
  data.kinderen = Array.from({ length: 1 + (i % 3) }, (_, n) => ({
    leeftijd: 2 + ((i + n) % 15), school: (i + n) % 2 === 0 ? 'ja' : 'nee', ...(n === 1 ? { opmerking: `kind ${i}, "oudste"` } : {}),
    geboren: `201${(i + n) % 2}-06-15`, dubbel: 2 * (2 + ((i + n) % 15)),
  }));
  data.contacten = i % 5 === 0 ? [{ wie: 'refused' }] : [{ wie: 'politie', vaak: 1 + (i % 3) }, { wie: 'arts', vaak: 2 }];
  return data;
}
const RESPONDENTS = 36;
const gewicht = (i: number) => (i % 2 === 0 ? String(50 + i) : `${50 + i},5`);
const meanOf = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const GEWICHT_MEAN = meanOf(Array.from({ length: RESPONDENTS }, (_, i) => 50 + i + (i % 2) / 2));
const LENGTE_MEAN = meanOf(Array.from({ length: RESPONDENTS }, (_, i) => 150 + (i % 7) * 5));

interface Option { value: string | number | boolean; label: string; count?: number; meanRank?: number; firstPlaces?: number }
interface ResultQuestion { name: string; kind: string; options: Option[]; numbers?: { n: number; mean: number } | null }

describe('SPSS syntax and R script of an instrument with ranking, tables, rating, boolean, tagbox and a number', function () {
  this.timeout(240_000);
  let t: TestApp;
  let admin: Account;
  let waveId: string;
  let dir: string;
  let results: Map<string, ResultQuestion>;
  /** Per export column, per value as the coded export writes it: the count Spiegel has. */
  const expected = new Map<string, Map<string, number>>();

  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    const published = await request(t.app).post('/api/v1/instruments?key=alle-typen').set(bearer(admin)).send(INSTRUMENT);
    expect(published.status, JSON.stringify(published.body)).to.equal(201);
    const wave = await createWave(t.app, admin, { instrument: 'alle-typen', label: 'Alle typen 2026', minGroupSize: 3 });
    waveId = wave.id;
    for (let i = 0; i < RESPONDENTS; i++) await submit(t.app, wave.token, respondent(i));
    await sealPending(dbOf(t.app));
    const body = (await request(t.app).get(`/api/v1/waves/${waveId}/results`).set(bearer(admin))).body as { questions: ResultQuestion[] };
    results = new Map(body.questions.map((q) => [q.name, q]));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-types-'));

    // The closed questions as the results API counts them.
    const add = (column: string, value: string, n: number) => {
      const m = expected.get(column) ?? new Map<string, number>();
      m.set(value, (m.get(value) ?? 0) + n);
      expected.set(column, m);
    };
    for (const name of ['tevreden', 'alleen']) for (const o of results.get(name)!.options) add(name, name === 'alleen' ? String(o.value) : String(o.value), o.count ?? 0);
    for (const o of results.get('hulp')!.options) add(`hulp.${o.value}`, '1', o.count ?? 0);
    // Table cells: the stored answer rows the results are made of (question|row|value|text|n).
    for (const line of await answerCounts(dbOf(t.app), waveId)) {
      const [question, row, , text, n] = line.split('|');
      if (!['diensten', 'kinderen', 'contacten'].includes(question!)) continue;
      const cell = `${question}.${row}`;
      if (text!.startsWith('[')) for (const v of JSON.parse(text!) as string[]) add(`${cell}.${v}`, '1', Number(n));
      else add(cell, text === 'refused' ? '-2' : text!, Number(n));
    }
  });
  after(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function download(query: string) {
    const csv = await exportCsv(t.app, admin, waveId, `?missing=codes${query ? `&${query}` : ''}`);
    const sps = await request(t.app).get(`/api/v1/waves/${waveId}/export.sps${query ? `?${query}` : ''}`).set(bearer(admin));
    const r = await request(t.app).get(`/api/v1/waves/${waveId}/export.R${query ? `?${query}` : ''}`).set(bearer(admin));
    expect(sps.status, sps.text).to.equal(200);
    expect(r.status, r.text).to.equal(200);
    const csvName = /\/FILE='([^']+)'/.exec(sps.text)![1]!;
    fs.writeFileSync(path.join(dir, csvName), csv);
    fs.writeFileSync(path.join(dir, 'export.sps'), sps.text);
    fs.writeFileSync(path.join(dir, 'export.R'), r.text);
    return { sps: sps.text, r: r.text };
  }

  const psppFrequencies = (variables: string[]) => psppCounts(dir, variables, (v) => String(Number(v) || v));

  needs('pspp')('PSPP: every cell, flag and rank column counts as Spiegel; mean rank, first places and the mean of the number agree', async () => {
    const { sps } = await download('full=1');
    expect(sps).to.contain('prioriteit.veilig F8.0');
    expect(sps).to.contain('kinderen.3.leeftijd F12.3');
    expect(sps, 'no row past the matrix\'s maxRowCount').to.not.contain('kinderen.4.');
    expect(sps).to.match(/contacten\.1\.wie 'Contacten: deel 1: Met wie\?'/);
    // Number items of a multiple text are numbers, dates are dates; the text item stays a string.
    expect(sps).to.contain('maten.lengte F12.3');
    expect(sps).to.contain('maten.gewicht F12.3');
    expect(sps).to.match(/maten\.merk A\d+/);
    expect(sps).to.contain('sinds SDATE10');
    expect(sps).to.contain('kinderen.2.geboren SDATE10');
    expect(sps).to.match(/maten\.gewicht \(SCALE\)/);
    const ranks = ['veilig', 'wonen', 'werk'].map((c) => `prioriteit.${c}`);
    // Free-text cells are not counted here (PSPP's CSV output of a text with a comma is not parsed); the round trip below holds them.
    for (const name of [...expected.keys()]) if (name.endsWith('.opmerking')) expected.delete(name);
    // Date cells are SPSS dates, printed yyyy/mm/dd: counted below.
    const geboren = new Map<string, number>();
    for (const [value, n] of expected.get('kinderen.1.geboren') ?? []) geboren.set(value.replace(/-/g, '/'), n);
    for (const name of [...expected.keys()]) if (name.endsWith('.geboren')) expected.delete(name);
    const names = [...expected.keys(), ...ranks, 'jaren', 'maten.lengte', 'maten.gewicht', 'sinds', 'kinderen.1.geboren'];
    const got = psppFrequencies(names);
    let compared = 0;
    for (const [name, values] of expected) {
      for (const [value, n] of values) {
        if (n === 0) continue;
        const key = String(Number(value) || value);
        expect(got.get(name)?.get(key === 'true' ? '1' : key === 'false' ? '0' : key) ?? got.get(name)?.get(value) ?? 0, `${name} = ${value}`).to.equal(n);
        compared++;
      }
    }
    expect(compared).to.be.above(40);
    const mean = (counts: Map<string, number>) => {
      let k = 0; let total = 0;
      for (const [v, n] of counts) { k += n; total += Number(v) * n; }
      return { k, mean: total / k };
    };
    for (const option of results.get('prioriteit')!.options) {
      const counts = got.get(`prioriteit.${option.value}`)!;
      expect(mean(counts).mean, `mean rank of ${option.value}`).to.be.closeTo(option.meanRank!, 1e-9);
      expect(counts.get('1') ?? 0, `first places of ${option.value}`).to.equal(option.firstPlaces);
    }
    const numbers = results.get('jaren')!.numbers!;
    expect(mean(got.get('jaren')!).k).to.equal(numbers.n);
    expect(mean(got.get('jaren')!).mean).to.be.closeTo(numbers.mean, 1e-9);
    expect(mean(got.get('maten.gewicht')!)).to.deep.equal({ k: RESPONDENTS, mean: GEWICHT_MEAN });
    expect(mean(got.get('maten.lengte')!).mean).to.be.closeTo(LENGTE_MEAN, 1e-9);
    // Dates as SPSS dates (printed yyyy/mm/dd), every one read.
    expect(got.get('sinds')!.get('2019/05/05')).to.equal(1);
    expect([...got.get('sinds')!.values()].reduce((a, b) => a + b, 0)).to.equal(RESPONDENTS);
    expect(geboren.size).to.equal(2);
    expect(got.get('kinderen.1.geboren')).to.deep.equal(geboren);
    expect([...geboren.values()].reduce((a, b) => a + b, 0)).to.equal(27);
  });

  needs('Rscript')('R: factors with the labels for cells, NA for the missing code, ranks numeric with the same means', async () => {
    await download('full=1');
    const program = `source("export.R")
for (name in names(spiegel)) {
  x <- spiegel[[name]]
  if (is.factor(x)) { tab <- table(x); for (lv in names(tab)) cat(name, "\\t", lv, "\\t", tab[[lv]], "\\n", sep = "") }
  else if (is.numeric(x)) cat(name, "\\t<mean>\\t", format(mean(x, na.rm = TRUE), digits = 15), "\\n", sep = "")
  else if (inherits(x, "Date")) cat(name, "\\t<min>\\t", format(min(x, na.rm = TRUE)), "\\n", sep = "")
  cat(name, "\\t<NA>\\t", sum(is.na(x)), "\\n", sep = "")
  cat(name, "\\t<level>\\t", attr(x, "level"), "\\n", sep = "")
}`;
    fs.writeFileSync(path.join(dir, 'run.R'), program);
    const out = execFileSync('Rscript', ['run.R'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    const got = new Map<string, Map<string, string>>();
    for (const line of out.split('\n')) {
      const [name, level, value] = line.split('\t');
      if (!name || level === undefined) continue;
      got.set(name, (got.get(name) ?? new Map<string, string>()).set(level, value ?? ''));
    }
    // Cells with labels: the counts per label; the refused "Met wie?" is NA.
    const wie = got.get('contacten.1.wie')!;
    const stored = expected.get('contacten.1.wie')!;
    expect(Number(wie.get('Politie'))).to.equal(stored.get('politie'));
    expect(Number(wie.get('<NA>'))).to.equal(RESPONDENTS - (stored.get('politie') ?? 0) - (stored.get('arts') ?? 0));
    expect(Number(got.get('diensten.opvang.gebruik')!.get('ja'))).to.equal(expected.get('diensten.opvang.gebruik')!.get('1'));
    expect(Number(got.get('diensten.opvang.soort.x')!.get('aangevinkt'))).to.equal(expected.get('diensten.opvang.soort.x')!.get('1'));
    for (const option of results.get('prioriteit')!.options) {
      expect(Number(got.get(`prioriteit.${option.value}`)!.get('<mean>')), `mean rank of ${option.value}`).to.be.closeTo(option.meanRank!, 1e-9);
      expect(got.get(`prioriteit.${option.value}`)!.get('<level>')).to.equal('ordinal');
    }
    expect(Number(got.get('jaren')!.get('<mean>'))).to.be.closeTo(results.get('jaren')!.numbers!.mean, 1e-9);
    expect(Number(got.get('maten.gewicht')!.get('<mean>'))).to.be.closeTo(GEWICHT_MEAN, 1e-9);
    expect(got.get('maten.gewicht')!.get('<level>')).to.equal('scale');
    expect(got.get('sinds')!.get('<min>')).to.equal('2019-05-05');
    expect(got.get('kinderen.3.geboren')!.get('<min>')).to.match(/^201[01]-06-15$/);
  });

  it('the codebook describes every cell: its item, level, missing codes and routing', async () => {
    const res = await request(t.app).get(`/api/v1/waves/${waveId}/codebook.json?full=1&missing=codes`).set(bearer(admin));
    expect(res.status).to.equal(200);
    type V = { name: string; title: string; level: string; type: string; shownIf: string | null; values: Array<{ value: unknown; label: string; missing: boolean }> };
    const byName = new Map((res.body.variables as V[]).map((v) => [v.name, v]));
    const wie = byName.get('contacten.2.wie')!;
    expect(wie.title).to.equal('Contacten: deel 2: Met wie?');
    expect(wie.level).to.equal('nominal');
    expect(wie.shownIf).to.equal('jaren >= 0');
    expect(wie.values, JSON.stringify(wie.values)).to.deep.include({ value: -2, label: 'Weiger te antwoorden', missing: true }); // survey-core's Dutch
    expect(byName.get('contacten.1.vaak')!.shownIf).to.equal('jaren >= 0 en panel.wie notempty');
    expect(byName.get('prioriteit.werk')).to.include({ level: 'ordinal', type: 'numeric', title: 'Wat is het belangrijkst?: Werk (plaats, 1 = eerste)' });
    expect(byName.get('kinderen.2.leeftijd')).to.include({ level: 'scale', type: 'numeric' });
    expect(byName.get('diensten.ambulant.soort.y')!.values.map((v) => v.label)).to.deep.equal(['aangevinkt', 'niet aangevinkt']);
    expect([...byName.keys()].filter((n) => n.startsWith('contacten.'))).to.have.length(4);
    expect(byName.get('maten.gewicht')).to.include({ level: 'scale', type: 'numeric', kind: 'number', title: 'Maten: Gewicht (kg)' });
    expect(byName.get('maten.lengte')).to.include({ level: 'scale', type: 'numeric' });
    expect(byName.get('maten.merk')).to.include({ level: 'nominal', type: 'string' });
    expect(byName.get('sinds')).to.include({ kind: 'date', type: 'date', format: 'YYYY-MM-DD' });
    // Computed (expression) questions and cells: not stored, so no column; the codebook says so, with the expression.
    expect([...byName.keys()].some((n) => n.includes('dubbel') || n === 'jarenplus')).to.equal(false);
    const notStored = res.body.notStored as Array<{ name: string; expression: string; reason: string }>;
    expect(notStored.map((n) => n.name)).to.deep.equal(['jarenplus', 'kinderen.1.dubbel', 'kinderen.2.dubbel', 'kinderen.3.dubbel']);
    expect(notStored[1]).to.include({ expression: '{row.leeftijd} * 2' });
    expect(notStored[1]!.reason).to.match(/berekend/);
    const csv = await request(t.app).get(`/api/v1/waves/${waveId}/codebook.csv?full=1`).set(bearer(admin));
    expect(csv.text).to.match(/kinderen\.2\.dubbel,.*,not_stored,/);
    expect(csv.text).to.match(/jarenplus,Jaren plus een,not_stored,/);
    // And nothing of them is stored.
    expect((await answerCounts(dbOf(t.app), waveId)).filter((line) => line.includes('dubbel') || line.startsWith('jarenplus|'))).to.deep.equal([]);
  });

  it('round trip: the full export, with values and with labels, imported into a new wave stores the same answers', async () => {
    for (const query of ['?full=1', '?full=1&labels=1']) {
      const copy = await createWave(t.app, admin, { instrument: 'alle-typen', label: `kopie ${query}`, minGroupSize: 3 });
      const res = await importCsv(t.app, admin, copy.id, await exportCsv(t.app, admin, waveId, query));
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.deep.equal({ imported: RESPONDENTS, errors: [] });
      expect(await answerCounts(dbOf(t.app), copy.id), query).to.deep.equal(await answerCounts(dbOf(t.app), waveId));
    }
  });

  needs('pspp')('the default k-anonymous export (no day column): PSPP reads the table cells as in the full one', async () => {
    const { sps } = await download('');
    expect(sps).to.not.contain('datum');
    // A free-text cell can name anyone: left out of the k-anonymous file, listed as such in the codebook.
    expect(sps).to.not.contain('kinderen.2.opmerking');
    const codebook = await request(t.app).get(`/api/v1/waves/${waveId}/codebook.json`).set(bearer(admin));
    const opmerking = (codebook.body.variables as Array<{ name: string; inFile: boolean }>).find((v) => v.name === 'kinderen.2.opmerking');
    expect(opmerking).to.include({ inFile: false });
    const got = psppFrequencies(['diensten.opvang.cijfer', 'prioriteit.veilig', 'maten.gewicht', 'sinds']);
    for (const [value, n] of expected.get('diensten.opvang.cijfer')!) expect(got.get('diensten.opvang.cijfer')?.get(value)).to.equal(n);
    // A number item is no free text: in the file, numeric; the text item is left out.
    expect(sps).to.contain('maten.gewicht F12.3');
    expect(sps).to.not.contain('maten.merk');
    // A date is a quasi-identifier: year and month only, a string; the lone 2019-05 is blanked (-9, missing).
    expect(sps).to.match(/\bsinds A\d+/);
    expect(got.get('sinds')!.get('2019-05')).to.equal(undefined);
    expect(got.get('sinds')!.get('-9')).to.be.at.least(1);
    const sinds = (codebook.body.variables as Array<{ name: string; format: string | null; suppressedValues: number | null; level: string }>).find((v) => v.name === 'sinds')!;
    expect(sinds).to.include({ format: 'YYYY-MM', level: 'ordinal' });
    expect(sinds.suppressedValues).to.be.at.least(1);
  });

  it('the k-anonymous export: every combination of the printed dates (year-month) occurs at least k times', async () => {
    const rows = rowsOf(await exportCsv(t.app, admin, waveId, ''));
    const dateColumns = Object.keys(rows[0]!).filter((c) => c === 'sinds' || c.endsWith('.geboren'));
    expect(dateColumns).to.deep.equal(['sinds', 'kinderen.1.geboren', 'kinderen.2.geboren', 'kinderen.3.geboren']);
    const combinations = new Map<string, number>();
    for (const row of rows) {
      for (const c of dateColumns) expect(row[c], c).to.match(/^(\d{4}-\d{2}|suppressed|)$/);
      const key = dateColumns.map((c) => row[c]).join('|');
      combinations.set(key, (combinations.get(key) ?? 0) + 1);
    }
    for (const [key, n] of combinations) expect(n, key).to.be.at.least(3);
    expect(rows.filter((r) => r.sinds === '2020-01').length).to.be.at.least(3);
    const codebook = await request(t.app).get(`/api/v1/waves/${waveId}/codebook.csv`).set(bearer(admin));
    expect(codebook.text).to.match(/sinds,Sinds wanneer\?,YYYY-MM,/);
  });
});
