// Every stored answer of every loadable definition of the corpus (test/fixtures/surveyjs-corpus/)
// is in the export, in a column the codebook describes: filled in by three respondents
// (tables too: every matrix-dropdown row, two rows of a dynamic matrix, two dynamic panels),
// then each stored response's every atomic value is looked up in the full export by the
// column name the export documents (docs/export.md): `q`, `q.row`, `q.item`, `q.choice`
// (a flag 1, or a rank), `q.row.column`, `q.3.column`, `q-Comment`.
import { expect } from 'chai';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { Account, createTestApp, createWave, dbOf, setupAdmin, TestApp } from '../helpers/app';
import { fillSurvey } from '../helpers/fill-survey';
import { CORPUS_DIR, loadingCorpusFiles } from '../helpers/corpus';
import { readStoredResponses } from '../helpers/stored-responses';
import { rowsOf } from '../helpers/csv';
import { restoreNeutralised } from '../../server/csv/csv-text';
import { expectedCells } from '../helpers/expected-cells';

type Variable = { name: string; kind: string; inFile: boolean; question: string; title: string };

describe('the export holds every stored answer of the corpus, in a column the codebook describes', function () {
  this.timeout(180_000);
  let t: TestApp;
  let admin: Account & { organisationId: string };
  before(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
  });
  after(async () => t.close());
  const auth = () => ({ Authorization: `Bearer ${admin.token}` });

  for (const file of loadingCorpusFiles()) {
    it(file, async () => {
      const key = `x-${file.replace(/\.json$/, '').toLowerCase()}`;
      const definition = JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8'));
      const published = await request(t.app).post(`/api/v1/instruments?key=${key}`).set(auth()).send(definition);
      expect(published.status, JSON.stringify(published.body)).to.equal(201);
      const version = await request(t.app).get(`/api/v1/instruments/${key}`).set(auth());
      const wave = await createWave(t.app, admin, { instrument: key, minGroupSize: 3, label: file });
      for (let variant = 0; variant < 3; variant++) {
        const data = fillSurvey(version.body.definition, variant, { tables: true });
        const sent = await request(t.app).post(`/s/${wave.token}/responses`).send({ submissionId: crypto.randomUUID(), data });
        expect(sent.status, `${JSON.stringify(data)} -> ${JSON.stringify(sent.body)}`).to.equal(201);
      }
      const stored = await readStoredResponses(dbOf(t.app), wave.id);
      expect(stored).to.have.length(3);

      const codebook = await request(t.app).get(`/api/v1/waves/${wave.id}/codebook.json?full=1`).set(auth());
      expect(codebook.status, JSON.stringify(codebook.body)).to.equal(200);
      const variables = new Map((codebook.body.variables as Variable[]).filter((v) => v.inFile).map((v) => [v.name, v]));
      const csv = await request(t.app).get(`/api/v1/waves/${wave.id}/export.csv?full=1`).set(auth())
        .buffer(true).parse((r, done) => { let text = ''; r.setEncoding('utf8'); r.on('data', (c: string) => { text += c; }); r.on('end', () => done(null, text)); });
      expect(csv.status).to.equal(200);
      const rows = rowsOf(csv.body as string);
      expect(rows).to.have.length(3);
      const headers = Object.keys(rows[0]!);
      expect(headers, 'every column of the file is in the codebook').to.deep.equal([...variables.keys()]);

      for (const response of stored) {
        const expected = expectedCells(response.data, (column) => variables.get(column)?.kind);
        expect(expected.size, 'the filled response answers something').to.be.greaterThan(0);
        const missing = [...expected.keys()].filter((column) => !variables.has(column));
        expect(missing, `answers of ${JSON.stringify(response.data)} without a described column`).to.deep.equal([]);
        const row = rows.find((r) => [...expected].every(([column, cell]) => restoreNeutralised(r[column] ?? '') === cell));
        const detail = [...expected].map(([column, cell]) => `${column}: ${cell} / ${rows.map((r) => r[column]).join('|')}`);
        expect(row, `no row of the export holds ${detail.join('; ')}`).to.not.equal(undefined);
      }
    });
  }
});
