// Every definition of the corpus that loads (test/fixtures/surveyjs-corpus/) runs end to end:
// published through the API, filled in by three respondents (every visible question), and the
// responses are stored, shown in the results, compared and exported.
import { expect } from 'chai';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { Account, createTestApp, createWave, dbOf, setupAdmin, TestApp } from '../helpers/app';
import { sealPending } from '../helpers/seal';
import { fillSurvey } from '../helpers/fill-survey';
import { CORPUS_DIR, loadingCorpusFiles } from '../helpers/corpus';

describe('the corpus of SurveyJS definitions, end to end', function () {
  this.timeout(120_000);
  let t: TestApp;
  let admin: Account & { organisationId: string };
  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
  });
  after(async () => t.close());
  const auth = () => ({ Authorization: `Bearer ${admin.token}` });

  for (const file of loadingCorpusFiles()) {
    it(`${file}: published, filled in, stored, shown, compared and exported`, async () => {
      const key = file.replace(/\.json$/, '').toLowerCase();
      const definition = JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8'));
      const published = await request(t.app).post(`/api/v1/instruments?key=${key}`).set(auth()).send(definition);
      expect(published.status, JSON.stringify(published.body)).to.equal(201);
      const version = await request(t.app).get(`/api/v1/instruments/${key}`).set(auth());
      const wave = await createWave(t.app, admin, { instrument: key, minGroupSize: 3, label: file });
      for (let variant = 0; variant < 3; variant++) {
        const data = fillSurvey(version.body.definition, variant);
        const sent = await request(t.app).post(`/s/${wave.token}/responses`).send({ submissionId: crypto.randomUUID(), data });
        expect(sent.status, `${JSON.stringify(data)} -> ${JSON.stringify(sent.body)}`).to.equal(201);
      }
      await sealPending(dbOf(t.app));
      const results = await request(t.app).get(`/api/v1/waves/${wave.id}/results`).set(auth());
      expect(results.status, JSON.stringify(results.body)).to.equal(200);
      expect(results.body.n).to.equal(3);
      const single = (results.body.questions as Array<{ name: string; kind: string; n: number | null }>).find((q) => q.kind === 'single' && q.n === 3);
      if (single) {
        const compared = await request(t.app).get(`/api/v1/waves/${wave.id}/compare`).query({ by: single.name }).set(auth());
        expect(compared.status, JSON.stringify(compared.body)).to.equal(200);
      }
      const csv = await request(t.app).get(`/api/v1/waves/${wave.id}/export.csv?full=1`).set(auth());
      expect(csv.status, csv.text).to.equal(200);
      expect(csv.text.trim().split('\n').length).to.be.at.least(4);
    });
  }
});
