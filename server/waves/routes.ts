import { Router } from 'express';
import type { WaveService } from './service';
import { invitationJson, invitationsSchema, newWaveSchema, voidSchema, wavePatchSchema, waveJson } from './service';
import { allow } from '../auth/middleware';
import { parseBody } from '../http/validate';
import { baseUrlOf } from '../http/base-url';

export function waveApiRoutes(waves: WaveService, publicUrl: string | null): Router {
  const router = Router();
  router.get('/waves', allow('wave.read'), async (req, res) => {
    const base = baseUrlOf(req, publicUrl);
    res.json((await waves.list(req.user!)).map((w) => waveJson(w, base)));
  });
  router.post('/waves', allow('wave.create'), async (req, res) => {
    const wave = await waves.create(req.user!, parseBody(newWaveSchema, req.body));
    res.status(201).location(`/api/v1/waves/${wave.id}`).json(waveJson(wave, baseUrlOf(req, publicUrl)));
  });
  router.get('/waves/:id', allow('wave.read'), async (req, res) => {
    res.json(waveJson(await waves.get(req.user!, String(req.params.id)), baseUrlOf(req, publicUrl)));
  });
  router.patch('/waves/:id', allow('wave.update'), async (req, res) => {
    const wave = await waves.update(req.user!, String(req.params.id), parseBody(wavePatchSchema, req.body));
    res.json(waveJson(wave, baseUrlOf(req, publicUrl)));
  });
  router.post('/waves/:id/public-link', allow('wave.relink'), async (req, res) => {
    const wave = waveJson(await waves.replacePublicLink(req.user!, String(req.params.id)), baseUrlOf(req, publicUrl));
    res.status(201).json({ token: wave.token, url: wave.url });
  });
  router.get('/waves/:id/responses-per-day', allow('wave.read'), async (req, res) => {
    res.json(await waves.countPerDay(req.user!, String(req.params.id)));
  });
  router.post('/waves/:id/invitations', allow('invitation.create'), async (req, res) => {
    const created = await waves.createInvitations(req.user!, String(req.params.id), parseBody(invitationsSchema, req.body));
    res.status(201).json(created.map((i) => invitationJson(i, baseUrlOf(req, publicUrl))));
  });
  router.get('/waves/:id/invitations', allow('invitation.read'), async (req, res) => {
    const list = await waves.listInvitations(req.user!, String(req.params.id));
    res.json(list.map((i) => invitationJson(i, baseUrlOf(req, publicUrl))));
  });
  router.post('/waves/:id/invitations/:invitationId/void', allow('response.void'), async (req, res) => {
    const invitation = await waves.voidResponse(req.user!, String(req.params.id), String(req.params.invitationId), parseBody(voidSchema, req.body ?? {}));
    res.json(invitationJson(invitation, baseUrlOf(req, publicUrl)));
  });
  router.get('/waves/:id/contacts', allow('contacts.read'), async (req, res) => {
    res.json(await waves.listContacts(req.user!, String(req.params.id)));
  });
  return router;
}
