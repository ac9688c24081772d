// The SPSS syntax and the R script, run in PSPP (Debian's `pspp`) and R (`r-base-core`) on
// the export they were written for: their frequencies must be the dashboard's, value for
// value, for a TNO quickscan wave with realistic answers (multi-select, Likert scales with
// "Zeg ik liever niet", routing). Skipped, saying so, where pspp or Rscript is missing.
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, createUser, Account } from '../helpers/app';
import { bearer, exportCsv, submit } from '../helpers/csv';
import { quickscanSubmissions } from '../helpers/quickscan-stream';
import { sealPending } from '../helpers/seal';
import { psppFrequencies as psppCounts } from '../helpers/pspp';

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

/** `it` when the tool is installed; else a skipped test whose title says why and how to install it. */
function needs(tool: 'pspp' | 'Rscript'): Mocha.TestFunction | ((title: string, fn: Mocha.AsyncFunc) => Mocha.Test) {
  if (has(tool)) return it;
  const pkg = tool === 'pspp' ? 'pspp' : 'r-base-core';
  return (title: string, fn: Mocha.AsyncFunc) => {
    console.warn(`skipped: ${tool} is not installed (apt-get install ${pkg}): ${title}`);
    return it.skip(`${title} [skipped: ${tool} is not installed; apt-get install ${pkg}]`, fn);
  };
}

interface ResultQuestion {
  name: string;
  kind: string;
  n: number | null;
  options: Array<{ value: string | number; label: string; count?: number }>;
  rows?: Array<{ name: string; options: Array<{ value: string | number; label: string; count?: number }> }>;
}

describe('SPSS syntax and R script of the export', function () {
  this.timeout(180_000);
  let t: TestApp;
  let admin: Account;
  let wave: Awaited<ReturnType<typeof createWave>>;
  let dir: string;
  let results: ResultQuestion[];

  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    wave = await createWave(t.app, admin, { label: 'Quickscan 2026' });
    for (const s of quickscanSubmissions(80, 15)) await submit(t.app, wave.token, s.data);
    await sealPending(t.testDb.db);
    results = (await request(t.app).get(`/api/v1/waves/${wave.id}/results`).set(bearer(admin))).body.questions;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-sps-'));
  });
  after(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Per variable, per value as the export codes it: the count the results API gives. */
  function expectedCounts(): Map<string, Map<string, number>> {
    const expected = new Map<string, Map<string, number>>();
    const codes = new Map([['dontknow', '-1'], ['refused', '-2']]);
    const code = (v: string | number) => codes.get(String(v)) ?? String(v);
    for (const q of results) {
      if (q.kind === 'single') expected.set(q.name, new Map(q.options.map((o) => [code(o.value), o.count ?? 0])));
      if (q.kind === 'multi') for (const o of q.options) expected.set(`${q.name}.${o.value}`, new Map([['1', o.count ?? 0]]));
      if (q.kind === 'matrix') for (const r of q.rows ?? []) expected.set(`${q.name}.${r.name}`, new Map(r.options.map((o) => [code(o.value), o.count ?? 0])));
    }
    return expected;
  }

  async function download(query: string) {
    const csv = await exportCsv(t.app, admin, wave.id, `?missing=codes${query ? `&${query}` : ''}`);
    const sps = await request(t.app).get(`/api/v1/waves/${wave.id}/export.sps${query ? `?${query}` : ''}`).set(bearer(admin));
    const r = await request(t.app).get(`/api/v1/waves/${wave.id}/export.R${query ? `?${query}` : ''}`).set(bearer(admin));
    expect(sps.status, sps.text).to.equal(200);
    expect(r.status, r.text).to.equal(200);
    const csvName = /\/FILE='([^']+)'/.exec(sps.text)![1]!;
    fs.writeFileSync(path.join(dir, csvName), csv);
    fs.writeFileSync(path.join(dir, 'export.sps'), sps.text);
    fs.writeFileSync(path.join(dir, 'export.R'), r.text);
    return { csvName, sps: sps.text, r: r.text };
  }

  const psppFrequencies = (variables: string[]) => psppCounts(dir, variables);

  const spssName = (name: string) => name.replace(/[^A-Za-z0-9_.]/g, '_');

  needs('pspp')('PSPP reads the full export with the syntax and counts what the results API counts', async function () {
    await download('full=1');
    const expected = expectedCounts();
    const names = [...expected.keys()];
    const got = psppFrequencies(names.map(spssName));
    expect(names.length).to.be.above(40);
    for (const name of names) {
      const want = [...expected.get(name)!].filter(([, n]) => n > 0);
      const have = got.get(spssName(name)) ?? new Map();
      for (const [value, n] of want) expect(have.get(value) ?? 0, `${name} = ${value}`).to.equal(n);
    }
    // Missing values are declared: "Zeg ik liever niet" of c_ervaring counts as missing in PSPP.
    expect(fs.readFileSync(path.join(dir, 'out.csv'), 'utf8')).to.match(/Missing,-2,\d+/);
  });

  needs('Rscript')('R reads the full export with the script: factors with the labels, NA for missing codes, the same counts', async function () {
    await download('full=1');
    const program = `source("export.R")
for (name in names(spiegel)) {
  x <- spiegel[[name]]
  if (is.factor(x)) { tab <- table(x); for (lv in names(tab)) cat(name, "\\t", lv, "\\t", tab[[lv]], "\\n", sep = "") }
  cat(name, "\\t<NA>\\t", sum(is.na(x)), "\\n", sep = "")
  cat(name, "\\t<label>\\t", attr(x, "label"), "\\n", sep = "")
}`;
    fs.writeFileSync(path.join(dir, 'run.R'), program);
    const out = execFileSync('Rscript', ['run.R'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    const got = new Map<string, Map<string, string>>();
    for (const line of out.split('\n')) {
      const [name, level, count] = line.split('\t');
      if (!name || level === undefined) continue;
      const m = got.get(name) ?? new Map<string, string>();
      m.set(level, count ?? '');
      got.set(name, m);
    }
    const labelOf = new Map<string, Map<string, string>>();
    for (const q of results) {
      if (q.kind === 'single') labelOf.set(q.name, new Map(q.options.map((o) => [String(o.value), o.label])));
      if (q.kind === 'matrix') for (const r of q.rows ?? []) labelOf.set(`${q.name}.${r.name}`, new Map(r.options.map((o) => [String(o.value), o.label])));
    }
    let compared = 0;
    for (const q of results) {
      const rowsOf = q.kind === 'matrix' ? (q.rows ?? []).map((r) => ({ name: `${q.name}.${r.name}`, options: r.options }))
        : q.kind === 'single' ? [{ name: q.name, options: q.options }] : [];
      for (const row of rowsOf) {
        let missing = 0;
        for (const o of row.options) {
          if (o.value === 'refused' || o.value === 'dontknow') { missing += o.count ?? 0; continue; }
          expect(Number(got.get(row.name)?.get(o.label) ?? 0), `${row.name} ${o.label}`).to.equal(o.count ?? 0);
          compared++;
        }
        const answered = row.options.reduce((k, o) => k + (o.count ?? 0), 0);
        expect(Number(got.get(row.name)?.get('<NA>')), `${row.name} NA`).to.equal(80 - answered + missing);
      }
      if (q.kind === 'multi') {
        for (const o of q.options) expect(Number(got.get(`${q.name}.${o.value}`)?.get('aangevinkt') ?? 0), `${q.name}.${o.value}`).to.equal(o.count ?? 0);
      }
    }
    expect(compared).to.be.above(100);
    expect(got.get('b_role')?.get('<label>')).to.equal('Ben je professional of student?');
  });

  needs('pspp')('the default k-anonymous export: the syntax fits it, blanked values are missing, the other questions count as the dashboard', async function () {
    const { csvName, sps } = await download('');
    expect(csvName).to.match(/antwoorden-codes\.csv$/);
    expect(sps).to.not.contain('datum'); // no day column in a k-anonymous export
    const expected = expectedCounts();
    const background = new Set(['b_role', 'b_sector', 'b_instelling', 'b_voltijd', 'c_ervaring']);
    const names = [...expected.keys()].filter((n) => !background.has(n.split('.')[0]!));
    const got = psppFrequencies(names.map(spssName));
    for (const name of names) {
      for (const [value, n] of expected.get(name)!) if (n > 0) expect(got.get(spssName(name))?.get(value) ?? 0, `${name} = ${value}`).to.equal(n);
    }
  });

  it('is refused to viewers (403) like the export, and answers 404 for another organisation\'s wave', async () => {
    await createUser(t.app, admin, { email: 'lezer@opvang.test', role: 'viewer' });
    const viewer = (await request(t.app).post('/api/v1/auth/login').send({ email: 'lezer@opvang.test', password: 'correct horse battery' })).body as Account;
    for (const file of ['export.sps', 'export.R']) {
      expect((await request(t.app).get(`/api/v1/waves/${wave.id}/${file}`).set(bearer(viewer))).status, file).to.equal(403);
      expect((await request(t.app).get(`/api/v1/waves/00000000-0000-4000-8000-000000000000/${file}`).set(bearer(admin))).status).to.equal(404);
      expect((await request(t.app).get(`/api/v1/waves/${wave.id}/${file}?labels=1`).set(bearer(admin))).status).to.equal(400);
    }
  });
});
