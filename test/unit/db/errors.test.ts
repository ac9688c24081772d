// The database errors that mean "cannot serve now" (a 503 with Retry-After), however the driver
// and knex dress them, and the ones that do not (a bug, a constraint: a 500 or a 409).
import { expect } from 'chai';
import { unavailableReason } from '../../../server/db/errors';

const errorWith = (props: Record<string, unknown>) => Object.assign(new Error(String(props.message ?? '')), props);

describe('unavailableReason', () => {
  it('knows a lost PostgreSQL connection also when knex put the statement before pg\'s message', () => {
    // Seen when a failover ended the sessions: the wave lookup of a submission answered 500.
    const viaKnex = errorWith({ message: 'select "w".* from "waves" as "w" where "w"."public_token" = $1 limit $2 - Connection terminated unexpectedly' });
    expect(unavailableReason(viaKnex)).to.equal('connection lost');
    expect(unavailableReason(errorWith({ message: 'Connection terminated unexpectedly' }))).to.equal('connection lost');
  });

  it('reads PostgreSQL SQLSTATEs, socket codes and SQLite codes', () => {
    expect(unavailableReason(errorWith({ code: '57P01' }))).to.equal('shutting down');
    expect(unavailableReason(errorWith({ code: '25006' }))).to.equal('read-only');
    expect(unavailableReason(errorWith({ code: 'ECONNREFUSED' }))).to.equal('connection refused');
    expect(unavailableReason(errorWith({ code: 'SQLITE_READONLY' }))).to.equal('read-only');
  });

  it('leaves other errors alone: a constraint or a bug is not an outage', () => {
    expect(unavailableReason(errorWith({ code: '23505', message: 'duplicate key value' }))).to.equal(null);
    expect(unavailableReason(new TypeError('x is undefined'))).to.equal(null);
    expect(unavailableReason(errorWith({ message: 'select 1 - column "Connection terminated" does not exist' }))).to.equal(null);
  });
});
