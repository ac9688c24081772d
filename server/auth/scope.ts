// Every repository query that reads or changes an organisation's data takes a Scope. An
// admin's scope covers every organisation; everyone else sees only their own. A resource
// outside the scope is indistinguishable from one that does not exist.
import type { Role } from './tokens';
import { can } from './policy';
import { forbidden } from '../http/errors';

export interface Scope {
  /** null: every organisation (admin). */
  organisationId: string | null;
}

export interface CurrentUser {
  id: string;
  email: string;
  role: Role;
  /** null for a network account: it is in no organisation (and its scope is none, see scopeOf). */
  organisationId: string | null;
  /** The network of a network account, else null. */
  networkId: string | null;
}

/**
 * The rows a user may see. A user without an organisation (a network account) has no scope:
 * asking for one is refused (403), so that a missing organisation can never read as the
 * admin's "every organisation" (null).
 */
export function scopeOf(user: CurrentUser): Scope {
  if (can(user, 'scope.all')) return { organisationId: null };
  return { organisationId: organisationOf(user) };
}

/** The user's own organisation; 403 for an account that has none (a network account). */
export function organisationOf(user: CurrentUser): string {
  if (user.organisationId === null) throw forbidden();
  return user.organisationId;
}
