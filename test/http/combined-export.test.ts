// Several waves in one export, with a wave column: each wave's rows are k-anonymous within
// their own wave, so combining waves never undoes the suppression of one.
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, createUser, createOrganisation, Account, PASSWORD, login } from '../helpers/app';
import { studentWithoutExperience } from '../helpers/tno';
import { bearer, exportCsv, rowsOf, submit } from '../helpers/csv';
import { sealPending } from '../helpers/seal';

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

describe('one export of several waves', () => {
  let t: TestApp;
  let admin: Account;
  let first: Awaited<ReturnType<typeof createWave>>;
  let second: Awaited<ReturnType<typeof createWave>>;
  const atMee = () => ({ b_role: 'professional', b_sector: ['mee'], c_ervaring: 'nee' });

  beforeEach(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    first = await createWave(t.app, admin, { label: '0-meting', series: 'quickscan' });
    second = await createWave(t.app, admin, { label: '1-meting', series: 'quickscan' });
    // In the 0-meting she is the only professional at MEE; in the 1-meting there are ten.
    for (let i = 0; i < 6; i++) await submit(t.app, first.token, studentWithoutExperience());
    await submit(t.app, first.token, { ...atMee(), e_wenselijk: 4 });
    for (let i = 0; i < 10; i++) await submit(t.app, second.token, atMee());
    await sealPending(t.testDb.db);
  });
  afterEach(async () => t.close());

  const combined = async (account: Account, query: string) =>
    request(t.app).get(`/api/v1/export.csv?waves=${first.id},${second.id}${query}`).set(bearer(account));

  it('writes every row of both waves with a wave column, each wave k-anonymous on its own rows', async () => {
    const res = await combined(admin, '');
    expect(res.status, res.text).to.equal(200);
    expect(res.headers['content-disposition']).to.contain('tno-quickscan-metingen-antwoorden.csv');
    expect(res.text.startsWith('\uFEFFmeting,volgnummer,b_role,')).to.equal(true);
    const rows = rowsOf(res.text);
    expect(rows.filter((r) => r.meting === '0-meting')).to.have.length(7);
    expect(rows.filter((r) => r.meting === '1-meting')).to.have.length(10);
    // Pooled, her combination would be shared by eleven rows; within her wave it is hers alone, and it stays hidden.
    expect(rows.filter((r) => r.meting === '0-meting' && (r.b_role === 'professional' || r['b_sector.mee'] === '1'))).to.have.length(0);
    expect(rows.filter((r) => r.meting === '1-meting' && r['b_sector.mee'] === '1')).to.have.length(10);
    // Exactly as many blanks in her wave's rows as its own export has.
    const own = rowsOf(await exportCsv(t.app, admin, first.id));
    const blanks = (list: Array<Record<string, string>>) => list.reduce((n, r) => n + Object.values(r).filter((v) => v === 'suppressed').length, 0);
    expect(blanks(rows.filter((r) => r.meting === '0-meting'))).to.equal(blanks(own));
    expect(rows.some((r) => 'datum' in r)).to.equal(false);
    // With codes, as the one-wave export.
    const coded = rowsOf((await combined(admin, '&missing=codes')).text);
    expect(coded.filter((r) => r.meting === '0-meting' && r.b_role === '-9').length).to.be.above(0);
  });

  (has('pspp') && has('Rscript') ? it : (title: string, fn: Mocha.AsyncFunc) => it.skip(`${title} [skipped: pspp or Rscript is not installed; apt-get install pspp r-base-core]`, fn))('gives SPSS syntax and an R script for the combined file, with the wave as a labelled variable', async function () {
    this.timeout(60_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-combined-'));
    try {
      const csv = (await combined(admin, '&missing=codes')).text;
      const sps = await request(t.app).get(`/api/v1/export.sps?waves=${first.id},${second.id}`).set(bearer(admin));
      const r = await request(t.app).get(`/api/v1/export.R?waves=${first.id},${second.id}`).set(bearer(admin));
      expect(sps.status, sps.text).to.equal(200);
      expect(sps.text).to.contain(`/api/v1/export.csv?waves=${first.id}%2C${second.id}&missing=codes`);
      const csvName = /\/FILE='([^']+)'/.exec(sps.text)![1]!;
      expect(csvName).to.equal('tno-quickscan-metingen-antwoorden-codes.csv');
      fs.writeFileSync(path.join(dir, csvName), csv);
      fs.writeFileSync(path.join(dir, 'run.sps'), `${sps.text}\nSET TNUMBERS=VALUES TVARS=NAMES.\nFREQUENCIES /VARIABLES=meting b_role.\n`);
      execFileSync('pspp', ['-O', 'format=csv', '-o', 'out.csv', 'run.sps'], { cwd: dir, stdio: 'pipe' });
      const out = fs.readFileSync(path.join(dir, 'out.csv'), 'utf8');
      expect(out).to.match(/Valid,0-meting,7,/).and.match(/,1-meting,10,/);
      // Her wave's background is blanked: missing (-9) in PSPP, not counted as a professional.
      expect(out).to.match(/,professional,10,/).and.match(/Missing,-9,\d+/);
      fs.writeFileSync(path.join(dir, 'export.R'), r.text);
      fs.writeFileSync(path.join(dir, 'run.R'), 'source("export.R")\ncat(table(spiegel$meting), sum(is.na(spiegel$b_role)), levels(spiegel$meting), sep = "|")\n');
      const counted = execFileSync('Rscript', ['run.R'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
      expect(counted.split('|').slice(0, 2).map(Number)).to.deep.equal([7, 10]);
      expect(counted.split('|').slice(3)).to.deep.equal(['0-meting', '1-meting']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses viewers (403), another organisation\'s wave (404), one wave (400) and waves of other instruments (422)', async () => {
    await createUser(t.app, admin, { email: 'lezer@opvang.test', role: 'viewer' });
    const viewer = await login(t.app, 'lezer@opvang.test', PASSWORD);
    expect((await combined(viewer, '')).status).to.equal(403);
    const orgId = await createOrganisation(t.app, admin, 'Opvang Zuid');
    await createUser(t.app, admin, { email: 'zuid@opvang.test', role: 'manager', organisationId: orgId });
    const other = await login(t.app, 'zuid@opvang.test', PASSWORD);
    expect((await combined(other, '')).status).to.equal(404);
    expect((await request(t.app).get(`/api/v1/export.csv?waves=${first.id}`).set(bearer(admin))).status).to.equal(400);
    const weerman = await createWave(t.app, admin, { instrument: 'weerman-organisatiescan', label: 'scan', mode: 'identified' });
    const mixed = await request(t.app).get(`/api/v1/export.csv?waves=${first.id},${weerman.id}`).set(bearer(admin));
    expect(mixed.status).to.equal(422);
    expect(mixed.body.error.message).to.contain('scan');
    for (const file of ['export.sps', 'export.R']) {
      expect((await request(t.app).get(`/api/v1/${file}?waves=${first.id},${second.id}`).set(bearer(viewer))).status, file).to.equal(403);
      expect((await request(t.app).get(`/api/v1/${file}?waves=${first.id},${second.id}`).set(bearer(other))).status, file).to.equal(404);
    }
  });
});
