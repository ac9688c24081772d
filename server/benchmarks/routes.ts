// The network benchmark's API (docs/api-benchmarks.md).
import { Router } from 'express';
import { allow } from '../auth/middleware';
import { parseBody } from '../http/validate';
import { BenchmarkService, membersSchema, networkBenchmarkQuery, networkSchema, networkUserSchema, optInSchema } from './service';

export function benchmarkApiRoutes(benchmarks: BenchmarkService): Router {
  const router = Router();
  router.get('/networks', allow('network.list'), async (req, res) => {
    res.json(await benchmarks.list(req.user!));
  });
  router.post('/networks', allow('network.manage'), async (req, res) => {
    res.status(201).json(await benchmarks.createNetwork(req.user!, parseBody(networkSchema, req.body)));
  });
  router.put('/networks/:id/members', allow('network.manage'), async (req, res) => {
    res.json(await benchmarks.setMembers(req.user!, String(req.params.id), parseBody(membersSchema, req.body)));
  });
  router.post('/networks/:id/users', allow('network.manage'), async (req, res) => {
    res.status(201).json(await benchmarks.createNetworkUser(req.user!, String(req.params.id), parseBody(networkUserSchema, req.body)));
  });
  router.get('/networks/:id/benchmark', allow('network.benchmark'), async (req, res) => {
    const query = parseBody(networkBenchmarkQuery, { ...req.query });
    res.json(await benchmarks.networkBenchmark(req.user!, String(req.params.id), query.instrument));
  });
  router.put('/waves/:id/benchmark', allow('benchmark.join'), async (req, res) => {
    res.json(await benchmarks.optIn(req.user!, String(req.params.id), parseBody(optInSchema, req.body)));
  });
  router.delete('/waves/:id/benchmark', allow('benchmark.join'), async (req, res) => {
    await benchmarks.optOut(req.user!, String(req.params.id));
    res.status(204).end();
  });
  router.get('/waves/:id/benchmark', allow('benchmark.read'), async (req, res) => {
    res.json(await benchmarks.waveBenchmark(req.user!, String(req.params.id)));
  });
  return router;
}
