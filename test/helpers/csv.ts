// Helpers for the CSV tests: fixtures, submissions, and a wave's answers in long format.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import request from 'supertest';
import { expect } from 'chai';
import Papa from 'papaparse';
import type { Knex } from 'knex';
import type { SpiegelApp } from '../../server/app';
import { Account, dbOf } from './app';
import { sealPending } from './seal';

export const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'csv');
export const fixture = (name: string): Buffer => fs.readFileSync(path.join(FIXTURES, name));

export async function submit(app: SpiegelApp, token: string, data: Record<string, unknown>): Promise<void> {
  const res = await request(app).post(`/s/${token}/responses`).send({ submissionId: crypto.randomUUID(), data });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
}

export const bearer = (account: Account) => ({ Authorization: `Bearer ${account.token}` });

export function importCsv(app: SpiegelApp, account: Account, waveId: string, body: Buffer | string, query = '') {
  return request(app).post(`/api/v1/waves/${waveId}/import${query}`).set(bearer(account)).set('Content-Type', 'text/csv').send(body);
}

export async function exportCsv(app: SpiegelApp, account: Account, waveId: string, query = ''): Promise<string> {
  await sealPending(dbOf(app));
  const res = await request(app).get(`/api/v1/waves/${waveId}/export.csv${query}`).set(bearer(account))
    .buffer(true).parse((r, done) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => done(null, Buffer.concat(chunks).toString('utf8'))); });
  expect(res.status).to.equal(200);
  return res.body as string;
}

/** Rows of a CSV text as objects by header (BOM stripped). */
export function rowsOf(text: string, delimiter = ','): Array<Record<string, string>> {
  return Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, delimiter, skipEmptyLines: true }).data;
}

/** The long-format answer counts of a wave: what results are computed from. */
export async function answerCounts(db: Knex, waveId: string): Promise<string[]> {
  await sealPending(db);
  const rows = (await db('answers').where({ wave_id: waveId }).select('question', 'row', 'value', 'text').count({ n: '*' })
    .groupBy('question', 'row', 'value', 'text')) as Array<{ question: string; row: string; value: string | null; text: string | null; n: number | string }>;
  return rows.map((r) => `${r.question}|${r.row}|${r.value ?? ''}|${r.text ?? ''}|${Number(r.n)}`).sort();
}

export async function responseCount(db: Knex, waveId: string): Promise<number> {
  await sealPending(db);
  const row = await db('responses').where({ wave_id: waveId }).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}
