// A network of organisations for the benchmark's tests (docs/api-benchmarks.md): an admin's
// network, organisations each with a manager and a wave of one instrument that the given
// answers fill, the waves closed, and a network account. Opting in is left to the test
// (`optIn`), because the order in which sets are shown is what the disclosure rule is about.
import crypto from 'node:crypto';
import request from 'supertest';
import { expect } from 'chai';
import type { SpiegelApp } from '../../server/app';
import { Account, createOrganisation, createUser, createWave, dbOf, login, PASSWORD } from './app';
import { sealPending } from './seal';

export interface Member { organisationId: string; manager: Account; waveId: string }
export interface NetworkFixture { networkId: string; members: Member[]; networkAccount: Account; networkEmail: string }

export async function buildNetwork(app: SpiegelApp, admin: Account, options: {
  name: string; organisations: number; instrument: string; prefix: string;
  /** The answers of respondent r of organisation i. */
  answers(i: number, r: number): Record<string, unknown>;
  respondents?: number;
}): Promise<NetworkFixture> {
  const respondents = options.respondents ?? 3;
  const api = (who: Account, method: 'post' | 'put' | 'patch', path: string, body: object) =>
    request(app)[method](`/api/v1${path}`).set('Authorization', `Bearer ${who.token}`).send(body);
  const made = await api(admin, 'post', '/networks', { name: options.name });
  expect(made.status, JSON.stringify(made.body)).to.equal(201);
  const networkId = made.body.id as string;
  const members: Member[] = [];
  for (let i = 0; i < options.organisations; i++) {
    const organisationId = await createOrganisation(app, admin, `${options.name} opvang ${i + 1}`);
    const manager = await createUser(app, admin, { email: `manager${i + 1}@${options.prefix}.test`, role: 'manager', organisationId });
    const wave = await createWave(app, manager, { instrument: options.instrument, label: `Meting ${i + 1}`, mode: 'anonymous', minGroupSize: 3 });
    for (let r = 0; r < respondents; r++) {
      const res = await request(app).post(`/s/${wave.token}/responses`).send({ submissionId: crypto.randomUUID(), data: options.answers(i, r) });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
    }
    members.push({ organisationId, manager, waveId: wave.id });
  }
  await sealPending(dbOf(app));
  for (const m of members) expect((await api(m.manager, 'patch', `/waves/${m.waveId}`, { status: 'closed' })).status).to.equal(200);
  const put = await api(admin, 'put', `/networks/${networkId}/members`, { organisationIds: members.map((m) => m.organisationId) });
  expect(put.status, JSON.stringify(put.body)).to.equal(200);
  const networkEmail = `netwerk@${options.prefix}.test`;
  const account = await api(admin, 'post', `/networks/${networkId}/users`, { email: networkEmail, password: PASSWORD });
  expect(account.status, JSON.stringify(account.body)).to.equal(201);
  return { networkId, members, networkAccount: await login(app, networkEmail), networkEmail };
}

export async function optIn(app: SpiegelApp, member: Member, networkId: string): Promise<void> {
  const res = await request(app).put(`/api/v1/waves/${member.waveId}/benchmark`).set('Authorization', `Bearer ${member.manager.token}`).send({ networkId });
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
}
