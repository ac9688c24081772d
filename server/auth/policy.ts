// Who may do what: the one table of authorisation rules. Routes ask it through allow(action)
// (middleware.ts), services through assertCan() with the resource they loaded, and views
// through can() in res.locals, so a rule is written here once and read everywhere.
//
// The policy decides what a role may do; the scope (scope.ts) decides which rows a user sees.
// The two meet in one place: a resource of another organisation is "hidden", and hidden
// answers 404, exactly as a resource that does not exist (api.md, Accounts).
import type { CurrentUser } from './scope';
import { ROLES, Role } from './tokens';
import { forbidden, notFound } from '../http/errors';

/**
 * Anything that belongs to one organisation: a wave, a user, an organisation to create in.
 * null: a network account, which belongs to a network and to no organisation.
 */
export interface Owned { organisationId: string | null }
/** A user account as the rules about accounts see it. */
export interface Account extends Owned { role: Role }
/** A change of an account's role: the account as it is and the role it would get. */
export interface RoleChange extends Account { newRole: Role }

type Decision = 'allow' | 'forbid' | 'hide';

interface Rule<R> {
  /** The roles that may do this at all; checked without a resource (routes, menus). */
  roles: readonly Role[];
  /** What it means to the rule which resource it is; runs after the role check. */
  check?: (actor: CurrentUser, resource: R) => boolean;
  /** Purpose, for readers of the table and the test that walks it. */
  why: string;
}

/** The roles of an organisation's own staff; the network role is none of them. */
const ALL = ['admin', 'manager', 'viewer'] as const;
const NETWORK = ['admin', 'network'] as const;
const STAFF = ['admin', 'manager'] as const;
const ADMIN = ['admin'] as const;

/** Managers hand out and take back only manager and viewer accounts; admins any. */
const noAdminUnlessAdmin = (actor: CurrentUser, ...roles: Role[]) => actor.role === 'admin' || !roles.includes('admin');
/** A network account is made for its network (POST /networks/:id/users) and keeps that role; no account becomes one by a role change. */
const noNetworkRoleChange = (...roles: Role[]) => !roles.includes('network');

/**
 * The table. Each action lists its roles; the type of its resource is the type of its check.
 * Adding a route means adding (or reusing) an action here: the policy test fails otherwise.
 */
const RULES = {
  // Cross-organisation reach: who sees every organisation's rows (scopeOf asks this).
  'scope.all': { roles: ADMIN, why: 'an admin works for every organisation' },

  'session.end': { roles: ROLES, why: 'anyone logged in may log out' },
  'organisation.list': { roles: ALL, why: 'the own organisation (admin: all) names the results' },
  'organisation.create': { roles: ADMIN, why: 'organisations are made by admins only' },

  // Not here: "the last admin stays". It depends on how many admins there are, which the
  // service must count in the same transaction as the change (auth/service.ts), or two admins
  // demoting each other at once would both pass. The table holds rules about who asks.
  'user.list': { roles: STAFF, why: 'managers manage the own organisation\'s accounts' },
  'user.create': { roles: STAFF, check: (a, r: Account) => noAdminUnlessAdmin(a, r.role), why: 'managers create managers and viewers only' },
  'user.update': { roles: STAFF, check: (a, r: RoleChange) => noAdminUnlessAdmin(a, r.role, r.newRole) && noNetworkRoleChange(r.role, r.newRole), why: 'managers neither promote to nor demote an admin; a network account keeps its role' },
  'user.remove': { roles: STAFF, check: (a, r: Account) => noAdminUnlessAdmin(a, r.role), why: 'managers do not remove an admin' },

  'instrument.read': { roles: ALL, why: 'instrument texts are public knowledge' },
  'instrument.publish': { roles: STAFF, why: 'api.md additions: admins publish for all organisations, managers for their own' },

  'wave.read': { roles: ALL, why: 'a wave\'s existence, link and counts' },
  'wave.preview': { roles: ALL, why: 'the respondent page to try out; what is sent there is validated and never stored' },
  'wave.create': { roles: STAFF, why: 'managers run the waves of the own organisation' },
  'wave.update': { roles: STAFF, why: 'label, dates, status, support text' },
  'wave.relink': { roles: STAFF, why: 'a new public link when junk came in through the old one; the old one stops working' },
  'invitation.create': { roles: STAFF, why: 'invitation links are single-use keys to a wave' },
  'invitation.read': { roles: STAFF, why: 'unused invitation links still open the wave' },
  'contacts.read': { roles: STAFF, why: 'names for a follow-up interview: never for viewers' },
  'contacts.remove': { roles: STAFF, why: 'docs/privacy.md asks managers to remove contact details after the interviews' },
  'response.void': { roles: STAFF, why: 'identified waves: a response from an invitation that was misused stops counting' },

  'results.read': { roles: ALL, why: 'aggregates, suppressed below the minimum group size; codebook' },
  'wave.export': { roles: STAFF, why: 'api.md additions: one row per response is refused to viewers (403)' },
  'wave.export.full': { roles: ADMIN, why: 'api.md additions: the non-k-anonymous export of an anonymous wave' },
  'csv.import': { roles: STAFF, why: 'imported rows become responses' },
  'csv.imports.read': { roles: ALL, why: 'the record of imports explains the counts viewers see' },

  'workshop.read': { roles: ALL, why: 'the positioning workshop\'s route, plenary view and report: group aggregates only' },
  'network.manage': { roles: ADMIN, why: 'networks, their members and their network accounts are made by admins' },
  'network.list': { roles: ROLES, why: 'the networks one belongs to (admin: all; an organisation: those it is in; a network account: its own)' },
  'network.benchmark': { roles: NETWORK, why: 'the network\'s aggregate, shown only above the minimum of organisations, never one organisation' },
  'benchmark.join': { roles: STAFF, why: 'an organisation opts a wave in or out of a network benchmark' },
  'benchmark.read': { roles: ALL, why: 'the own result beside the network minus itself' },
  'workshop.run': { roles: STAFF, why: 'the facilitator enters options and criteria, screens, invites, closes scoring and records the preferred scenario' },
  'record.read': { roles: ALL, why: 'a team wave\'s shared record holds the organisation\'s facts, which every account of it may read' },
  'record.write': { roles: STAFF, why: 'managers keep the team record; viewers read it (member links edit through their link)' },
} satisfies Record<string, Rule<never>>;

export type Action = keyof typeof RULES;
/** The resource an action's check needs (unknown when the rule looks only at the role). */
export type ResourceOf<A extends Action> =
  (typeof RULES)[A] extends { check: (actor: CurrentUser, resource: infer R) => boolean } ? R & Partial<Owned> : Partial<Owned>;

export const ACTIONS = Object.keys(RULES) as Action[];

function ruleOf(action: Action): Rule<unknown> {
  // Templates pass plain strings: a misspelt action must fail loudly, not deny quietly.
  if (!isAction(action)) throw new Error(`Unknown policy action: ${String(action)}`);
  return RULES[action] as Rule<unknown>;
}

/** Whether an action is named in the table (actions can come from templates and tests). */
export function isAction(name: string): name is Action {
  return Object.prototype.hasOwnProperty.call(RULES, name);
}

/** The roles that may do an action at all (the test that walks the routes reads this). */
export function rolesFor(action: Action): readonly Role[] {
  return ruleOf(action).roles;
}

/**
 * allow: the role may and the resource is the actor's to act on; forbid: 403;
 * hide: the resource belongs to another organisation and must look missing (404).
 */
export function decide<A extends Action>(actor: CurrentUser, action: A, resource?: ResourceOf<A>): Decision {
  const rule = ruleOf(action);
  if (!rule.roles.includes(actor.role)) return 'forbid';
  if (resource === undefined) return 'allow';
  if (rule.check && !rule.check(actor, resource)) return 'forbid';
  const owner = (resource as Partial<Owned>).organisationId;
  // An actor without an organisation (a network account) owns nothing, not even another "null".
  const own = owner !== undefined && actor.organisationId !== null && owner === actor.organisationId;
  if (owner !== undefined && !own && !ruleOf('scope.all').roles.includes(actor.role)) return 'hide';
  return 'allow';
}

/** Without a resource: may this role do it at all. With one: may this user do it to this one. */
export function can<A extends Action>(actor: CurrentUser | undefined, action: A, resource?: ResourceOf<A>): boolean {
  return actor !== undefined && decide(actor, action, resource) === 'allow';
}

/** For services: 403 when the role may not, 404 when the resource is another organisation's. */
export function assertCan<A extends Action>(actor: CurrentUser, action: A, resource?: ResourceOf<A>): void {
  const decision = decide(actor, action, resource);
  if (decision === 'forbid') throw forbidden();
  if (decision === 'hide') throw notFound();
}
