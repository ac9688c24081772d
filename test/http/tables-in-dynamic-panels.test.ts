// A table (matrix, matrix dropdown, dynamic matrix) inside a dynamic panel: what the loader
// accepts, the submission check must accept when a respondent fills it in. Before, the corpus's
// dynamic-panel file (`relativeillness`, a dynamic matrix in a panel of the template) loaded,
// and every respondent who answered it got a 422. And a plain question in a panel of a dynamic
// panel's template loaded but was refused when answered, for the same reason.
import { expect } from 'chai';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { Account, createTestApp, createWave, dbOf, setupAdmin, TestApp } from '../helpers/app';
import { CORPUS_DIR } from '../helpers/corpus';
import { sealPending } from '../helpers/seal';

describe('tables and panels inside a dynamic panel, through the API', function () {
  this.timeout(60_000);
  let t: TestApp;
  let admin: Account & { organisationId: string };
  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
  });
  after(async () => t.close());
  const auth = () => ({ Authorization: `Bearer ${admin.token}` });

  it('the corpus file with a dynamic matrix in a dynamic panel is refused at load, naming the panel, the table and the rule; nothing is published', async () => {
    const definition = JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, 'survey-library-paneldynamic.json'), 'utf8'));
    const published = await request(t.app).post('/api/v1/instruments?key=familie').set(auth()).send(definition);
    if (published.status === 201) {
      // What happened before: it loaded, so a respondent who fills in the table must be able to send it.
      const wave = await createWave(t.app, admin, { instrument: 'familie', minGroupSize: 3, label: 'familie' });
      const data = { relatives: [{ relativeType: 'father', isalive: 'Yes', liveage: 70, relativeillness: [{ illness: 'Cancer', description: 'x' }] }] };
      const sent = await request(t.app).post(`/s/${wave.token}/responses`).send({ submissionId: crypto.randomUUID(), data });
      expect(sent.status, `loaded, but an answered table is refused: ${JSON.stringify(sent.body)}`).to.equal(201);
      return;
    }
    expect(published.status, JSON.stringify(published.body)).to.equal(422);
    const errors = published.body.errors as Array<{ path: string; rule: string; message: string }>;
    expect(errors.map((e) => e.rule), JSON.stringify(errors)).to.deep.equal(['nestedTable']);
    expect(errors[0].path).to.match(/element "relativeillness"/);
    expect(errors[0].message).to.match(/"matrixdynamic".*dynamische panel "relatives"/);
    const listed = await request(t.app).get('/api/v1/instruments/familie').set(auth());
    expect(listed.status).to.equal(404);
  });

  it('a question in a panel of a dynamic panel\'s template is stored, shown and exported when answered', async () => {
    const definition = {
      title: 'Kinderen',
      pages: [{
        name: 'p1',
        elements: [{
          type: 'paneldynamic', name: 'kinderen', title: 'Kinderen', maxPanelCount: 3,
          templateElements: [
            { type: 'dropdown', name: 'school', title: 'Naar school?', choices: ['ja', 'nee'] },
            { type: 'panel', name: 'meer', title: 'Meer', elements: [
              { type: 'text', name: 'leeftijd', title: 'Leeftijd', inputType: 'number' },
              { type: 'checkbox', name: 'hulp', title: 'Hulp', choices: ['geld', 'huis'] },
            ] },
          ],
        }],
      }],
    };
    const published = await request(t.app).post('/api/v1/instruments?key=kinderen').set(auth()).send(definition);
    expect(published.status, JSON.stringify(published.body)).to.equal(201);
    const wave = await createWave(t.app, admin, { instrument: 'kinderen', minGroupSize: 3, label: 'kinderen' });
    for (let i = 0; i < 3; i++) {
      const data = { kinderen: [{ school: 'ja', leeftijd: 4 + i, hulp: ['geld'] }, { school: 'nee', leeftijd: 9 }] };
      const sent = await request(t.app).post(`/s/${wave.token}/responses`).send({ submissionId: crypto.randomUUID(), data });
      expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
    }
    const bogus = await request(t.app).post(`/s/${wave.token}/responses`)
      .send({ submissionId: crypto.randomUUID(), data: { kinderen: [{ nergens: 'x' }] } });
    expect(bogus.status, 'a name the template does not have is still refused').to.equal(422);
    await sealPending(dbOf(t.app));
    const results = await request(t.app).get(`/api/v1/waves/${wave.id}/results`).set(auth());
    expect(results.status, JSON.stringify(results.body)).to.equal(200);
    expect(results.body.n).to.equal(3);
    const csv = await request(t.app).get(`/api/v1/waves/${wave.id}/export.csv?full=1`).set(auth());
    expect(csv.status, csv.text).to.equal(200);
    const header = csv.text.replace(/^\uFEFF/, '').split('\n')[0];
    expect(header).to.include('kinderen.1.leeftijd').and.to.include('kinderen.2.hulp.geld');
  });
});
