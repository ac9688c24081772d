import { z } from 'zod';
import type { Store } from '../store';
import { conflict, forbidden, notFound, unauthorized } from '../http/errors';
import { t } from '../i18n/messages';
import { decoyPasswordHash, hashPassword, verifyPassword } from './passwords';
import { Role, signToken } from './tokens';
import { CurrentUser, organisationOf, scopeOf } from './scope';
import { assertCan } from './policy';
import { isUniqueViolation } from '../db/errors';
import { ORGANISATION_KINDS, OrganisationKind } from '../organisations/repository';
import { finishSetup, setupCodeMatches } from '../startup/setup-code';

export const emailSchema = z.string().trim().toLowerCase().email().max(254);
export const passwordSchema = z.string().min(10).max(200);
export const organisationNameSchema = z.string().trim().min(1).max(200);
export const organisationSchema = z.object({ name: organisationNameSchema, kind: z.enum(ORGANISATION_KINDS).optional() }).strict();

export const setupSchema = z.object({
  organisation: organisationNameSchema,
  email: emailSchema,
  password: passwordSchema,
  /** The one-time code the server printed at start (DATA_DIR/setup-code). */
  setupCode: z.string().max(100).optional(),
}).strict();

export const loginSchema = z.object({ email: z.string().trim().toLowerCase().max(254), password: z.string().max(200) }).strict();

export const newUserSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  role: z.enum(['admin', 'manager', 'viewer']),
  organisationId: z.string().max(36).optional(),
}).strict();

export interface AuthSettings {
  jwtSecret: string;
  tokenTtlSeconds: number;
  /** Where the setup code and the marker of a done setup are kept. */
  dataDir: string;
}

export function createAuthService(store: Store, settings: AuthSettings) {
  const tokenFor = (user: { id: string; organisationId: string | null; role: Role; sessionVersion: number }) =>
    signToken({ sub: user.id, org: user.organisationId, role: user.role, sv: user.sessionVersion },
      settings.jwtSecret, settings.tokenTtlSeconds);

  return {
    async isSetUp(): Promise<boolean> {
      return (await store.repos.users.count()) > 0;
    },

    /**
     * First run: the first organisation and its admin, for whoever holds the setup code.
     * Refused once any user exists. Both refusals come before the password is hashed, so
     * that they cost no scrypt: the endpoint is open to anyone.
     */
    async setup(input: z.infer<typeof setupSchema>) {
      if (await this.isSetUp()) throw conflict(t('errors.setupDone'));
      if (!setupCodeMatches(settings.dataDir, input.setupCode)) throw forbidden(t('errors.setupCode'));
      const passwordHash = await hashPassword(input.password);
      const { organisation, user } = await store.setupTransaction(async (repos) => {
        if ((await repos.users.count()) > 0) throw conflict(t('errors.setupDone'));
        const organisation = await repos.organisations.create(input.organisation);
        const user = await repos.users.create({
          organisationId: organisation.id, email: input.email, passwordHash, role: 'admin',
        });
        return { organisation, user };
      });
      finishSetup(settings.dataDir);
      return {
        organisation,
        user: { id: user.id, email: user.email, role: user.role },
        token: tokenFor(user),
      };
    },

    /** A wrong password and an unknown email give the same answer, in about the same time. */
    async login(input: z.infer<typeof loginSchema>) {
      const user = await store.repos.users.findByEmail(input.email);
      const valid = await verifyPassword(input.password, user?.passwordHash ?? await decoyPasswordHash());
      if (!user || !valid) throw unauthorized(t('errors.badCredentials'));
      return {
        token: tokenFor(user),
        user: publicUser(user),
      };
    },

    async logout(user: CurrentUser): Promise<void> {
      await store.repos.users.bumpSessionVersion(user.id);
    },

    listOrganisations: (actor: CurrentUser) => store.repos.organisations.list(scopeOf(actor)),

    async listUsers(actor: CurrentUser) {
      assertCan(actor, 'user.list');
      return (await store.repos.users.list(scopeOf(actor))).map(publicUser);
    },

    /** The users page's list: a network account with its network's name (it has no organisation to show). */
    async listUsersForPage(actor: CurrentUser) {
      const users = await this.listUsers(actor);
      const names = await store.repos.benchmarks.networkNames([...new Set(users.flatMap((u) => (u.networkId ? [u.networkId] : [])))]);
      return users.map((u) => ({ ...u, networkName: u.networkId ? names.get(u.networkId) ?? null : null }));
    },

    /** A role change ends the user's sessions at once, so a demotion takes effect immediately. */
    async changeRole(actor: CurrentUser, id: string, role: Role) {
      const user = await this.userInScope(actor, id);
      assertCan(actor, 'user.update', { ...user, newRole: role });
      await store.transaction(async (repos) => {
        if (role !== 'admin' && leavesNoAdmin(await repos.users.lockAdmins(), user.id)) throw conflict(t('errors.lastAdmin'));
        await repos.users.setRole(user.id, role);
      });
      return publicUser({ ...user, role });
    },

    async removeUser(actor: CurrentUser, id: string) {
      const user = await this.userInScope(actor, id);
      assertCan(actor, 'user.remove', user);
      await store.transaction(async (repos) => {
        if (leavesNoAdmin(await repos.users.lockAdmins(), user.id)) throw conflict(t('errors.lastAdmin'));
        await repos.users.remove(user.id);
      });
    },

    async userInScope(actor: CurrentUser, id: string) {
      const user = await store.repos.users.findInScope(scopeOf(actor), id);
      if (!user) throw notFound();
      assertCan(actor, 'user.list'); // 404 before 403: do not confirm another organisation's id
      return user;
    },

    async createOrganisation(actor: CurrentUser, name: string, kind?: OrganisationKind) {
      assertCan(actor, 'organisation.create');
      return store.repos.organisations.create(name, kind);
    },

    /** Admins create anyone anywhere; managers create managers and viewers in their own organisation. */
    async createUser(actor: CurrentUser, input: z.infer<typeof newUserSchema>) {
      const organisationId = input.organisationId ?? organisationOf(actor);
      assertCan(actor, 'user.create', { role: input.role, organisationId });
      const organisation = await store.repos.organisations.findById(scopeOf(actor), organisationId);
      if (!organisation) throw notFound();
      const passwordHash = await hashPassword(input.password);
      try {
        return publicUser(await store.repos.users.create({ organisationId, email: input.email, passwordHash, role: input.role }));
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict(t('errors.emailTaken'));
        throw err;
      }
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

/** True when `id` is the only admin left, read inside the transaction from the locked rows. */
const leavesNoAdmin = (adminIds: string[], id: string) => adminIds.length <= 1 && adminIds.includes(id);

/** A network account shows its network; it has no organisation (null). */
const publicUser = (u: { id: string; email: string; role: Role; organisationId: string | null; networkId: string | null }) =>
  ({ id: u.id, email: u.email, role: u.role, organisationId: u.organisationId, ...(u.networkId !== null ? { networkId: u.networkId } : {}) });

export const rolePatchSchema = z.object({ role: z.enum(['admin', 'manager', 'viewer']) }).strict();
