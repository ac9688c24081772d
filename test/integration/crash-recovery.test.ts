// "A response acknowledged with 201 survives a crash": a real server process takes a stream
// of submissions, is killed with SIGKILL in the middle of it and started again on the same
// data. Runs on SQLite, and on PostgreSQL (a temporary database) when DATABASE_URL is set.
// Needs `npm run build` (the server runs from dist/).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Knex } from 'knex';
import { createDb } from '../../server/db/connection';
import { startSpiegel, SpiegelProcess } from '../helpers/spiegel-process';
import { createTempDatabase, TempDatabase } from '../helpers/temp-database';
import { createQuickscanWave, login, setupAndLogin } from '../helpers/api-client';
import { quickscanSubmissions, Submission } from '../helpers/quickscan-stream';
import { expectWholeResponses } from '../helpers/stored-responses';
import { onPostgres } from '../helpers/db';

const SUBMISSIONS = 300;
const KILL_AFTER_ACKNOWLEDGED = 100;
const SENDERS = 8;

type Outcome = number | 'no answer';

async function send(baseUrl: string, token: string, submission: Submission): Promise<Outcome> {
  try {
    const res = await fetch(`${baseUrl}/s/${token}/responses`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(submission),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 'no answer'; // the connection broke: the server was killed before it answered
  }
}

/** Sends every submission once, `senders` at a time; stops taking new ones once `stop()` says so. */
async function stream(submissions: Submission[], senders: number, post: (s: Submission) => Promise<Outcome>,
  onOutcome: (s: Submission, o: Outcome) => void, stop: () => boolean = () => false): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: senders }, async () => {
    while (next < submissions.length && !stop()) {
      const submission = submissions[next++];
      onOutcome(submission, await post(submission));
    }
  }));
}

describe(`a server killed with SIGKILL in the middle of a stream of submissions (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, function () {
  this.timeout(120_000);
  let dataDir: string;
  let pg: TempDatabase | null = null;
  let server: SpiegelProcess | null = null;
  let db: Knex | null = null;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-crash-'));
    if (onPostgres) pg = await createTempDatabase(process.env.DATABASE_URL!);
  });

  after(async () => {
    await server?.kill();
    await db?.destroy();
    await pg?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged submission once, none half-stored, and stores each re-sent one exactly once', async () => {
    server = await startSpiegel({ dataDir, databaseUrl: pg?.url });
    const wave = await createQuickscanWave(server.baseUrl, await setupAndLogin(server));
    const submissions = quickscanSubmissions(SUBMISSIONS, 42);
    const sent = new Map(submissions.map((s) => [s.submissionId, s.data]));

    // The stream, and the kill while requests are in flight.
    const first = new Map<string, Outcome>();
    let acknowledged = 0;
    let killing: Promise<void> | null = null;
    const victim = server;
    await stream(submissions, SENDERS, (s) => send(victim.baseUrl, wave.token, s), (s, outcome) => {
      first.set(s.submissionId, outcome);
      if (outcome === 201) acknowledged++;
      if (acknowledged >= KILL_AFTER_ACKNOWLEDGED && !killing) killing = victim.kill();
    }, () => killing !== null);
    await killing;
    const outcomes = [...first.values()];
    expect(outcomes.filter((o) => o !== 201 && o !== 'no answer'), 'answers other than 201 before the kill').to.deep.equal([]);
    expect(acknowledged).to.be.at.least(KILL_AFTER_ACKNOWLEDGED);

    // Started again on the same data.
    server = await startSpiegel({ dataDir, databaseUrl: pg?.url });
    db = createDb({ databaseUrl: pg?.url ?? null, dataDir });
    const afterCrash = await expectWholeResponses(db, wave.id, sent);
    const lost = [...first].filter(([id, o]) => o === 201 && !afterCrash.has(id)).map(([id]) => id);
    expect(lost, 'acknowledged submissions missing after the crash').to.deep.equal([]);

    // Every submission again, acknowledged or not: the stored ones are duplicates, the rest are stored now.
    const again = new Map<string, Outcome>();
    const restarted = server;
    await stream(submissions, SENDERS, (s) => send(restarted.baseUrl, wave.token, s), (s, o) => again.set(s.submissionId, o));
    const expected = new Map(submissions.map((s) => [s.submissionId, afterCrash.has(s.submissionId) ? 200 : 201]));
    expect(Object.fromEntries(again), 're-sent: 200 for those stored before the crash, 201 for the rest').to.deep.equal(Object.fromEntries(expected));

    const final = await expectWholeResponses(db, wave.id, sent);
    expect(final.size).to.equal(SUBMISSIONS);

    // The restarted server still knows its accounts (same data, same signing key).
    await login(server.baseUrl);
  });
});
