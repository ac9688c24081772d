// The resource-aware rules of the policy table: what a role may do to which resource.
import { expect } from 'chai';
import { ACTIONS, assertCan, can, decide, rolesFor } from '../../../server/auth/policy';
import type { CurrentUser } from '../../../server/auth/scope';
import { scopeOf } from '../../../server/auth/scope';
import { AppError } from '../../../server/http/errors';
import { ROLES } from '../../../server/auth/tokens';

const OWN = 'org-noord';
const OTHER = 'org-oost';
const as = (role: CurrentUser['role']): CurrentUser => (role === 'network'
  ? { id: 'u-network', email: 'netwerk@noord.test', role, organisationId: null, networkId: 'net-noord' }
  : { id: `u-${role}`, email: `${role}@noord.test`, role, organisationId: OWN, networkId: null });
const admin = as('admin');
const manager = as('manager');
const viewer = as('viewer');

function statusOf(fn: () => void): number | null {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof AppError ? err.status : -1;
  }
}

describe('policy', () => {
  it('gives viewers results only: no per-row export, no changes, no contacts, no accounts (a preview stores nothing)', () => {
    const viewerMay = ACTIONS.filter((a) => can(viewer, a));
    // record.read: a team wave's shared record holds the organisation's facts (issue 13); viewers read it, never edit it.
    expect(viewerMay).to.have.members(['session.end', 'organisation.list', 'instrument.read', 'wave.read', 'wave.preview', 'results.read', 'csv.imports.read', 'workshop.read', 'network.list', 'benchmark.read', 'record.read']);
    expect(can(viewer, 'record.write')).to.equal(false);
    expect(can(viewer, 'wave.export')).to.equal(false);
    expect(can(manager, 'wave.export')).to.equal(true);
  });

  it('lets only admins work across organisations, create organisations and export an anonymous wave in full', () => {
    for (const action of ['scope.all', 'organisation.create', 'wave.export.full'] as const) {
      expect(ROLES.filter((r) => can(as(r), action)), action).to.deep.equal(['admin']);
    }
    expect(scopeOf(admin)).to.deep.equal({ organisationId: null });
    expect(scopeOf(manager)).to.deep.equal({ organisationId: OWN });
  });

  it('hides another organisation\'s resource (404) from a manager, and not from an admin', () => {
    expect(decide(manager, 'wave.update', { organisationId: OTHER })).to.equal('hide');
    expect(statusOf(() => assertCan(manager, 'wave.update', { organisationId: OTHER }))).to.equal(404);
    expect(statusOf(() => assertCan(manager, 'wave.update', { organisationId: OWN }))).to.equal(null);
    expect(statusOf(() => assertCan(admin, 'wave.update', { organisationId: OTHER }))).to.equal(null);
    expect(statusOf(() => assertCan(viewer, 'wave.update', { organisationId: OWN }))).to.equal(403);
  });

  it('lets a manager create, promote to and demote from manager and viewer only, and never touch an admin (403)', () => {
    expect(can(manager, 'user.create', { organisationId: OWN, role: 'viewer' })).to.equal(true);
    expect(can(manager, 'user.create', { organisationId: OWN, role: 'manager' })).to.equal(true);
    expect(statusOf(() => assertCan(manager, 'user.create', { organisationId: OWN, role: 'admin' }))).to.equal(403);
    expect(statusOf(() => assertCan(manager, 'user.create', { organisationId: OTHER, role: 'viewer' }))).to.equal(404);
    expect(can(manager, 'user.update', { organisationId: OWN, role: 'viewer', newRole: 'manager' })).to.equal(true);
    expect(statusOf(() => assertCan(manager, 'user.update', { organisationId: OWN, role: 'viewer', newRole: 'admin' }))).to.equal(403);
    expect(statusOf(() => assertCan(manager, 'user.update', { organisationId: OWN, role: 'admin', newRole: 'viewer' }))).to.equal(403);
    expect(statusOf(() => assertCan(manager, 'user.remove', { organisationId: OWN, role: 'admin' }))).to.equal(403);
    expect(can(admin, 'user.update', { organisationId: OTHER, role: 'admin', newRole: 'viewer' })).to.equal(true);
  });

  it('gives a network account no organisation: no scope (403, never the admin\'s "all"), nothing owned, no role change to or from it', () => {
    const network = as('network');
    expect(statusOf(() => scopeOf(network))).to.equal(403);
    expect(ACTIONS.filter((a) => can(network, a))).to.have.members(['session.end', 'network.list', 'network.benchmark']);
    // Another network account has no organisation either: null is not "the same organisation".
    expect(decide(network, 'network.benchmark', { organisationId: null })).to.equal('hide');
    expect(decide(manager, 'user.remove', { organisationId: null, role: 'network' })).to.equal('hide');
    expect(statusOf(() => assertCan(admin, 'user.update', { organisationId: null, role: 'network', newRole: 'manager' }))).to.equal(403);
    expect(statusOf(() => assertCan(admin, 'user.update', { organisationId: OWN, role: 'viewer', newRole: 'network' }))).to.equal(403);
    expect(can(admin, 'user.remove', { organisationId: null, role: 'network' })).to.equal(true);
  });

  it('allows nothing to nobody, and fails loudly on an action the table does not know', () => {
    expect(ACTIONS.filter((a) => can(undefined, a))).to.deep.equal([]);
    expect(() => can(admin, 'wave.delete' as never)).to.throw(/Unknown policy action/);
    expect(() => rolesFor('__proto__' as never)).to.throw(/Unknown policy action/);
  });
});
