// The network benchmark. An admin defines a network (a set of organisations, with its minimum
// of organisations, never below 5) and its network accounts; an organisation opts a wave into
// the network's benchmark of that wave's instrument. Per item, the organisations whose wave
// has at least its own minimum of responses, and of answers to the item, contribute. What is
// shown of a set of contributors is held to disclosure.ts; a refused item answers exactly
// as an item nobody contributed to. Items are the closed questions as the results count
// them: a single choice (radiogroup, dropdown, boolean, rating, imagepicker), a matrix row,
// and each substantive choice of a checkbox or tagbox as ticked / not ticked. A ranking has
// no one distribution per organisation to add up: it is listed as not benchmarked.
import { z } from 'zod';
import type { Store } from '../store';
import type { InstrumentCatalogue } from '../instruments/catalogue';
import { CurrentUser, organisationOf, scopeOf } from '../auth/scope';
import { assertCan, can } from '../auth/policy';
import { conflict, invalid, notFound } from '../http/errors';
import { t } from '../i18n/messages';
import { hashPassword } from '../auth/passwords';
import { isUniqueViolation } from '../db/errors';
import { dayInNetherlands } from '../util/dates';
import { instrumentModel, needsAnsweredCount, titleInContext, InstrumentModel, Choice } from '../results/instrument-model';
import { countsOf, Counts } from '../results/tally-index';
import type { ScopedWave } from '../results/repository';
import { testTable } from '../stats/test-table';
import { formatChiSquare } from '../stats/format-nl';
import { MIN_ORGANISATIONS_FLOOR, quartileOf, setMayBeShown } from './disclosure';
import type { Network } from './repository';

export const networkSchema = z.object({
  name: z.string().trim().min(1).max(200),
  minOrganisations: z.number().int().min(MIN_ORGANISATIONS_FLOOR, t('benchmarks.errors.minOrganisations', { min: MIN_ORGANISATIONS_FLOOR })).max(10000)
    .default(MIN_ORGANISATIONS_FLOOR),
}).strict();
export const membersSchema = z.object({ organisationIds: z.array(z.string().max(36)).max(10000) }).strict();
export const networkUserSchema = z.object({ email: z.string().trim().toLowerCase().email().max(254), password: z.string().min(12).max(200) }).strict();
export const optInSchema = z.object({ networkId: z.string().max(36) }).strict();
export const networkBenchmarkQuery = z.object({ instrument: z.string().min(1).max(100) }).strict();

/**
 * One benchmark item: its categories (the choices, or ticked / not ticked for one choice of
 * a checkbox) and how to read an organisation's counts of them from its wave's tallies.
 */
interface Item { key: string; question: string; row: string; choice: Choice | null; title: string; choices: Choice[]; countsIn(counts: Counts): number[] }
interface Contribution { organisationId: string; counts: number[]; n: number }

export interface OptionCount { value: string | number | boolean; label: string; count: number; percent: number }
/** One item of a benchmark; `shown: false` carries nothing else, whether refused or empty. */
export type BenchmarkItem = { name: string; row: string | null; title: string; shown: false } | ({ name: string; row: string | null; title: string; shown: true } & Record<string, unknown>);

/** The two categories of one checkbox choice, as the comparisons name them. */
const TICKED: Choice[] = [
  { value: 1, key: '1', label: t('results.ticked'), missing: false },
  { value: 0, key: '0', label: t('results.notTicked'), missing: false },
];

const networkJson = (n: Network) => ({ id: n.id, name: n.name, minOrganisations: n.minOrganisations, organisationIds: n.organisationIds });
/** Which organisations are in a network is the admin's to know; others learn how many. */
const memberCountJson = (n: Network) => ({ id: n.id, name: n.name, minOrganisations: n.minOrganisations, memberCount: n.organisationIds.length });

export function createBenchmarkService(store: Store, instruments: InstrumentCatalogue, { beforeRead }: { beforeRead?: (waveId: string) => Promise<unknown> } = {}) {
  const repo = store.repos.benchmarks;

  async function network(actor: CurrentUser, id: string): Promise<Network> {
    const found = await repo.findNetwork(id);
    if (!found) throw notFound();
    // A network account sees its own network only; an organisation's staff those it is in.
    if (actor.role === 'network') {
      if (actor.networkId !== found.id) throw notFound();
    } else if (!can(actor, 'scope.all') && !found.organisationIds.includes(organisationOf(actor))) throw notFound();
    return found;
  }

  function itemsOf(model: InstrumentModel): Item[] {
    return model.questions.flatMap((q): Item[] => {
      const perChoice = (row: string) => (counts: Counts) => q.choices.map((c) => counts.count(q.name, row, c.key));
      if (q.kind === 'single') return [{ key: q.name, question: q.name, row: '', choice: null, title: titleInContext(q.context, q.title), choices: q.choices, countsIn: perChoice('') }];
      if (q.kind === 'matrix') {
        return q.rows.map((r) => ({ key: `${q.name}.${r.key}`, question: q.name, row: r.key, choice: null, title: titleInContext(q.context, `${q.title}: ${r.label}`), choices: q.choices, countsIn: perChoice(r.key) }));
      }
      if (q.kind === 'multi') {
        // As the comparisons count a checkbox choice (results/crosstabs.ts): of those who ticked
        // anything substantive, who ticked this one and who did not.
        const missing = q.choices.filter((c) => c.missing);
        return q.choices.filter((c) => !c.missing).map((choice) => ({
          key: `${q.name}:${choice.key}`, question: q.name, row: '', choice, title: titleInContext(q.context, `${q.title}: ${choice.label}`), choices: TICKED,
          countsIn: (counts: Counts) => {
            const base = counts.answered(q.name) - missing.reduce((n, c) => n + counts.count(q.name, '', c.key), 0);
            const ticked = counts.count(q.name, '', choice.key);
            return [ticked, Math.max(0, base - ticked)];
          },
        }));
      }
      return [];
    });
  }

  /** The closed questions a benchmark cannot add up over organisations, said so once per instrument. */
  const notBenchmarked = (model: InstrumentModel) => model.questions.filter((q) => q.kind === 'ranking')
    .map((q) => ({ name: q.name, title: q.title, reason: t('benchmarks.notBenchmarked.ranking') }));

  /** The instruments every organisation can run: the only ones a network adds up (one organisation's own is its own). */
  const sharedInstruments = async () => (await instruments.list(null)).filter((v) => !v.organisationId);

  /** Per item, the organisations that contribute and their counts per choice. */
  async function contributions(networkId: string, instrumentKey: string, { sharedOnly }: { sharedOnly: boolean }) {
    const latest = await instruments.latest(instrumentKey);
    // A network never sees the text of one organisation's own instrument: it is "unknown" there.
    if (!latest || (sharedOnly && latest.organisationId)) throw invalid([{ question: 'instrument', message: t('errors.unknownInstrument', { key: instrumentKey }) }]);
    const model = instrumentModel(latest);
    const items = itemsOf(model);
    const refused = notBenchmarked(model);
    const perItem = new Map<string, Contribution[]>(items.map((i) => [i.key, []]));
    const waves: ScopedWave[] = [];
    for (const { waveId } of await repo.contributingWaves(networkId, instrumentKey)) {
      await beforeRead?.(waveId);
      const wave = await store.repos.results.findWave({ organisationId: null }, waveId);
      // Only a closed wave contributes: an open one's counts grow, and the network aggregate
      // before and after would show that one organisation's new answers.
      if (!wave || wave.status !== 'closed') continue;
      const n = await store.repos.results.countRespondents(wave, []);
      if (n < wave.minGroupSize) continue;
      const waveModel = instrumentModel((await instruments.byVersionId(wave.instrumentVersionId))!);
      const counts: Counts = countsOf(await store.repos.results.distribution(wave, [], needsAnsweredCount(waveModel)));
      let contributed = false;
      for (const item of items) {
        const row = item.countsIn(counts);
        const itemN = row.reduce((a, b) => a + b, 0);
        if (itemN >= wave.minGroupSize) { perItem.get(item.key)!.push({ organisationId: wave.organisationId, counts: row, n: itemN }); contributed = true; }
      }
      if (contributed) waves.push(wave);
    }
    return { items, perItem, waves, refused };
  }

  /** Whether this item's set may be shown now; if so it is recorded as shown. */
  async function disclose(net: Network, instrumentKey: string, history: Map<string, string[][]>, item: Item, set: Contribution[]): Promise<boolean> {
    const ids = set.map((c) => c.organisationId);
    if (!setMayBeShown(history.get(item.key) ?? [], ids, net.minOrganisations)) return false;
    await repo.recordDisclosure(net.id, instrumentKey, item.key, ids);
    return true;
  }

  const options = (item: Item, counts: number[]): OptionCount[] => {
    const n = counts.reduce((a, b) => a + b, 0);
    return item.choices.map((c, i) => ({ value: c.value, label: c.label, count: counts[i], percent: n === 0 ? 0 : (100 * counts[i]) / n }));
  };
  const sumCounts = (set: Contribution[], width: number) => set.reduce((acc, c) => acc.map((v, i) => v + c.counts[i]), new Array<number>(width).fill(0));
  const head = (item: Item) => ({ name: item.question, row: item.row === '' ? null : item.row, ...(item.choice ? { choice: item.choice.value } : {}), title: item.title });
  /** The mean of the numeric, non-missing choices, or null when the item is not a numeric scale. */
  const meanOf = (item: Item, counts: number[]): number | null => {
    let total = 0; let n = 0;
    for (const [i, c] of item.choices.entries()) {
      if (c.missing) continue;
      if (typeof c.value !== 'number') return null;
      total += c.value * counts[i]; n += counts[i];
    }
    return n === 0 ? null : total / n;
  };
  async function markShown(waves: ScopedWave[]) {
    for (const w of waves) if (w.resultsShownOn === null) await store.repos.results.markResultsShown(w.id, dayInNetherlands());
  }

  return {
    async createNetwork(actor: CurrentUser, input: z.infer<typeof networkSchema>) {
      assertCan(actor, 'network.manage');
      try {
        return networkJson((await repo.findNetwork(await repo.createNetwork(input.name, input.minOrganisations)))!);
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict(t('benchmarks.errors.nameTaken'));
        throw err;
      }
    },

    async list(actor: CurrentUser) {
      if (actor.role === 'network') {
        const own = actor.networkId === null ? null : await repo.findNetwork(actor.networkId);
        return own ? [memberCountJson(own)] : [];
      }
      const networks = await repo.listNetworks(scopeOf(actor).organisationId);
      return can(actor, 'network.manage') ? networks.map(networkJson) : networks.map(memberCountJson);
    },

    /**
     * A network's page: for an admin its members by name and its accounts; for anyone else
     * (its network account) only how many organisations it has, never which.
     */
    async overview(actor: CurrentUser, id: string) {
      assertCan(actor, 'network.benchmark');
      const net = await network(actor, id);
      const admin = can(actor, 'network.manage');
      const organisations = admin ? await store.repos.organisations.list({ organisationId: null }) : [];
      return {
        network: { id: net.id, name: net.name, minOrganisations: net.minOrganisations, memberCount: net.organisationIds.length },
        instruments: (await sharedInstruments()).map((v) => ({ key: v.key, title: v.title })),
        organisations: admin ? organisations.map((o) => ({ id: o.id, name: o.name, member: net.organisationIds.includes(o.id) })) : null,
        accounts: admin ? (await store.repos.users.listOfNetwork(net.id)).map((u) => ({ id: u.id, email: u.email })) : null,
      };
    },

    /** What the wave's page says about the benchmark: the networks its organisation is in, and the one it joined. */
    async waveState(actor: CurrentUser, wave: { id: string; organisationId: string }) {
      assertCan(actor, 'benchmark.read', wave);
      const networks = await repo.listNetworks(wave.organisationId);
      const joined = await repo.benchmarkOfWave(wave.id);
      if (networks.length === 0 && !joined) return null;
      const joinedNetwork = joined ? await repo.findNetwork(joined.networkId) : null;
      return {
        networks: networks.map((n) => ({ id: n.id, name: n.name })),
        joined: joinedNetwork ? { id: joinedNetwork.id, name: joinedNetwork.name } : null,
      };
    },

    /** Whether the wave is in a benchmark (its dashboard then has a tab for it). */
    async isJoined(actor: CurrentUser, wave: { id: string; organisationId: string }): Promise<boolean> {
      return can(actor, 'benchmark.read', wave) && (await repo.benchmarkOfWave(wave.id)) !== null;
    },

    async setMembers(actor: CurrentUser, id: string, input: z.infer<typeof membersSchema>) {
      assertCan(actor, 'network.manage');
      const net = await network(actor, id);
      const unique = [...new Set(input.organisationIds)];
      const errors = [];
      for (const [i, organisationId] of unique.entries()) {
        if (!(await store.repos.organisations.findById({ organisationId: null }, organisationId))) errors.push({ question: `organisationIds.${i}`, message: t('errors.notFound') });
      }
      if (errors.length > 0) throw invalid(errors);
      await store.transaction((r) => r.benchmarks.setMembers(net.id, unique));
      return networkJson((await repo.findNetwork(net.id))!);
    },

    /** A network account: it belongs to the network, and to no organisation. */
    async createNetworkUser(actor: CurrentUser, id: string, input: z.infer<typeof networkUserSchema>) {
      assertCan(actor, 'network.manage');
      const net = await network(actor, id);
      const passwordHash = await hashPassword(input.password);
      try {
        return await store.transaction(async (r) => {
          const user = await r.users.create({ networkId: net.id, email: input.email, passwordHash, role: 'network' });
          return { id: user.id, email: user.email, role: user.role, networkId: net.id };
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict(t('errors.emailTaken'));
        throw err;
      }
    },

    async optIn(actor: CurrentUser, waveId: string, input: z.infer<typeof optInSchema>) {
      const wave = await store.repos.waves.findById(scopeOf(actor), waveId);
      if (!wave) throw notFound();
      assertCan(actor, 'benchmark.join', wave);
      const net = await repo.findNetwork(input.networkId);
      if (!net || !net.organisationIds.includes(wave.organisationId)) throw notFound();
      await store.transaction((r) => r.benchmarks.optIn(net.id, wave.organisationId, wave.instrumentKey, wave.id));
      return { waveId: wave.id, networkId: net.id, instrument: wave.instrumentKey };
    },

    async optOut(actor: CurrentUser, waveId: string) {
      const wave = await store.repos.waves.findById(scopeOf(actor), waveId);
      if (!wave) throw notFound();
      assertCan(actor, 'benchmark.join', wave);
      await repo.optOut(wave.id);
    },

    /** The network's aggregate per item: for the network role and admins. */
    async networkBenchmark(actor: CurrentUser, id: string, instrumentKey: string) {
      assertCan(actor, 'network.benchmark');
      const net = await network(actor, id);
      const { items, perItem, waves, refused } = await contributions(net.id, instrumentKey, { sharedOnly: true });
      const history = await repo.disclosures(net.id, instrumentKey);
      const result: BenchmarkItem[] = [];
      for (const item of items) {
        const set = perItem.get(item.key)!;
        if (!(await disclose(net, instrumentKey, history, item, set))) { result.push({ ...head(item), shown: false }); continue; }
        const counts = sumCounts(set, item.choices.length);
        result.push({ ...head(item), shown: true, organisations: set.length, n: counts.reduce((a, b) => a + b, 0), options: options(item, counts) });
      }
      if (result.some((r) => r.shown)) await markShown(waves);
      return { network: { id: net.id, name: net.name }, instrument: instrumentKey, minOrganisations: net.minOrganisations, items: result, notBenchmarked: refused };
    },

    /** The organisation's own wave beside the network minus itself, with the chi-square test and its quartile. */
    async waveBenchmark(actor: CurrentUser, waveId: string) {
      const wave = await store.repos.waves.findById(scopeOf(actor), waveId);
      if (!wave) throw notFound();
      assertCan(actor, 'benchmark.read', wave);
      const joined = await repo.benchmarkOfWave(wave.id);
      if (!joined) throw conflict(t('benchmarks.errors.notJoined'));
      const net = (await repo.findNetwork(joined.networkId))!;
      const { items, perItem, waves, refused } = await contributions(net.id, joined.instrumentKey, { sharedOnly: false });
      const history = await repo.disclosures(net.id, joined.instrumentKey);
      const result: BenchmarkItem[] = [];
      for (const item of items) {
        const set = perItem.get(item.key)!;
        // The set disclosed is the whole network: the own part is known to the one who asks.
        if (!(await disclose(net, joined.instrumentKey, history, item, set))) { result.push({ ...head(item), shown: false }); continue; }
        const own = set.find((c) => c.organisationId === wave.organisationId) ?? null;
        const rest = set.filter((c) => c !== own);
        const restCounts = sumCounts(rest, item.choices.length);
        const substantive = item.choices.map((c, i) => (c.missing ? -1 : i)).filter((i) => i >= 0);
        const outcome = own ? testTable([substantive.map((i) => own.counts[i]), substantive.map((i) => restCounts[i])]) : null;
        const means = set.map((c) => meanOf(item, c.counts));
        const ownMean = own ? meanOf(item, own.counts) : null;
        result.push({
          ...head(item), shown: true,
          own: own ? { n: own.n, options: options(item, own.counts) } : null,
          network: { organisations: rest.length, n: restCounts.reduce((a, b) => a + b, 0), options: options(item, restCounts) },
          test: outcome?.test ? {
            method: outcome.test.method, statistic: outcome.test.statistic, df: outcome.test.df, p: outcome.test.p, cramersV: outcome.test.cramersV,
            text: formatChiSquare(outcome.test),
          } : null,
          quartile: ownMean !== null && means.every((m) => m !== null) ? quartileOf(ownMean, means as number[]) : null,
        });
      }
      if (result.some((r) => r.shown)) await markShown(waves);
      return { wave: { id: wave.id, label: wave.label }, network: { id: net.id, name: net.name }, instrument: joined.instrumentKey, minOrganisations: net.minOrganisations, items: result, notBenchmarked: refused };
    },
  };
}

export type BenchmarkService = ReturnType<typeof createBenchmarkService>;
