// One bad file in surveys/ is reported and skipped, not a stopped server: the app starts on
// its own load of the directory (as server/index.ts does), logs each skipped file, offers the
// good ones, and shows admins what was skipped and why.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import request from 'supertest';
import { createApp, SpiegelApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/log';
import { createTestDb, TestDb } from '../helpers/db';
import { prepareSetupCode, setupAdmin } from '../helpers/app';

describe('a bad file in surveys/', () => {
  let t: TestDb;
  let app: SpiegelApp;
  let surveysDir: string;
  const logLines: string[] = [];

  before(async () => {
    t = await createTestDb();
    surveysDir = fs.mkdtempSync(path.join(os.tmpdir(), 'surveys-'));
    const page = (elements: unknown[]) => JSON.stringify({ title: 'Proef', pages: [{ name: 'p1', elements }] });
    fs.writeFileSync(path.join(surveysDir, 'goed.json'), page([{ type: 'rating', name: 'score', title: 'Hoe tevreden?' }]));
    fs.writeFileSync(path.join(surveysDir, 'handtekening.json'), page([{ type: 'signaturepad', name: 'sig' }]));
    fs.writeFileSync(path.join(surveysDir, 'half.json'), '{ "title": "Half');
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: t.dataDir, JWT_SECRET: 'test-secret-that-is-long-enough-0123456789', SURVEYS_DIR: surveysDir });
    const log = createLogger('info', new Writable({ write(chunk, _enc, done) { logLines.push(...String(chunk).split('\n').filter(Boolean)); done(); } }));
    app = await createApp({ config, db: t.db, log, sealing: { delayMs: 3_600_000, intervalMs: 0 } });
    prepareSetupCode(app, t.dataDir);
  });

  after(async () => {
    await t?.close();
    fs.rmSync(surveysDir, { recursive: true, force: true });
  });

  it('is logged and skipped; the good file runs; admins see what was skipped and why', async () => {
    const skipped = logLines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.msg.startsWith('instrument file skipped'));
    expect(skipped.map((l) => l.msg.split(':')[1].trim()).sort()).to.deep.equal(['surveys/half.json', 'surveys/handtekening.json']);
    expect(skipped.every((l) => l.level === 40), 'warnings').to.equal(true);

    const admin = await setupAdmin(app);
    const auth = { Authorization: `Bearer ${admin.token}` };
    const list = await request(app).get('/api/v1/instruments').set(auth);
    expect(list.body.map((i: { key: string }) => i.key)).to.deep.equal(['goed']);
    const wave = await request(app).post('/api/v1/waves').set(auth).send({ instrument: 'goed', label: 'Proef', mode: 'anonymous', minGroupSize: 3 });
    expect(wave.status, JSON.stringify(wave.body)).to.equal(201);

    const page = await request(app).get('/instruments').set(auth);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Overgeslagen bestanden in surveys/').and.contain('surveys/half.json').and.contain('surveys/handtekening.json');
    expect(page.text).to.contain('handtekening');
  });
});
