// Every repository query that reads or changes an organisation's data takes a Scope. An
// admin's scope covers every organisation; everyone else sees only their own. A resource
// outside the scope is indistinguishable from one that does not exist.
import type { Role } from './tokens';
import { can } from './policy';

export interface Scope {
  /** null: every organisation (admin). */
  organisationId: string | null;
}

export interface CurrentUser {
  id: string;
  email: string;
  role: Role;
  organisationId: string;
}

export function scopeOf(user: CurrentUser): Scope {
  return { organisationId: can(user, 'scope.all') ? null : user.organisationId };
}
