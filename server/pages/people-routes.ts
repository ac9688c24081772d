// Managing accounts and organisations: managers for their own organisation, admins for all.
import { Router } from 'express';
import type { AuthService } from '../auth/service';
import { newUserSchema, organisationSchema, rolePatchSchema } from '../auth/service';
import { allow } from '../auth/middleware';
import { parseBody } from '../http/validate';
import { t } from '../i18n/messages';
import { formFields, withFormErrors } from './forms';

export function peoplePages(auth: AuthService): Router {
  const router = Router();

  const usersLocals = async (user: Parameters<AuthService['listUsers']>[0], values: object = {}) => ({
    title: t('people.users'),
    users: await auth.listUsersForPage(user),
    organisations: await auth.listOrganisations(user),
    values,
    error: null,
    errors: [],
  });

  router.get('/users', allow('user.list'), async (req, res) => {
    res.render('people/users', await usersLocals(req.user!));
  });

  router.post('/users', allow('user.create'), async (req, res) => {
    const values = formFields(req.body);
    await withFormErrors(res, 'people/users', await usersLocals(req.user!, values), async () => {
      await auth.createUser(req.user!, parseBody(newUserSchema, values));
      res.redirect(303, '/users');
    });
  });

  router.post('/users/:id/role', allow('user.update'), async (req, res) => {
    await withFormErrors(res, 'people/users', await usersLocals(req.user!), async () => {
      await auth.changeRole(req.user!, String(req.params.id), parseBody(rolePatchSchema, formFields(req.body)).role);
      res.redirect(303, '/users');
    });
  });

  router.post('/users/:id/remove', allow('user.remove'), async (req, res) => {
    await withFormErrors(res, 'people/users', await usersLocals(req.user!), async () => {
      await auth.removeUser(req.user!, String(req.params.id));
      res.redirect(303, '/users');
    });
  });

  // The organisations page is the form that creates them.
  router.get('/organisations', allow('organisation.create'), async (req, res) => {
    res.render('people/organisations', { title: t('people.organisations'), organisations: await auth.listOrganisations(req.user!), error: null, errors: [] });
  });

  router.post('/organisations', allow('organisation.create'), async (req, res) => {
    const locals = { title: t('people.organisations'), organisations: await auth.listOrganisations(req.user!) };
    await withFormErrors(res, 'people/organisations', locals, async () => {
      const { name, kind } = parseBody(organisationSchema, formFields(req.body));
      await auth.createOrganisation(req.user!, name, kind);
      res.redirect(303, '/organisations');
    });
  });

  return router;
}
