// The only code that touches the network and benchmark tables.
import crypto from 'node:crypto';
import type { Knex } from 'knex';

export interface Network { id: string; name: string; minOrganisations: number; organisationIds: string[] }

export function createBenchmarkRepository(db: Knex | Knex.Transaction) {
  const withMembers = async (rows: Array<{ id: string; name: string; min_organisations: number }>): Promise<Network[]> => {
    if (rows.length === 0) return [];
    const members = await db('network_members').select('network_id', 'organisation_id').whereIn('network_id', rows.map((r) => r.id)).orderBy('organisation_id');
    return rows.map((r) => ({
      id: r.id, name: r.name, minOrganisations: Number(r.min_organisations),
      organisationIds: members.filter((m: { network_id: string }) => m.network_id === r.id).map((m: { organisation_id: string }) => m.organisation_id),
    }));
  };
  const networks = () => db('networks').select('id', 'name', 'min_organisations').orderBy('name');

  return {
    async createNetwork(name: string, minOrganisations: number): Promise<string> {
      const id = crypto.randomUUID();
      await db('networks').insert({ id, name, min_organisations: minOrganisations });
      return id;
    },

    async findNetwork(id: string): Promise<Network | null> {
      return (await withMembers(await networks().where({ id })))[0] ?? null;
    },

    /** The names of these networks, by id (a network account's network on the users page). */
    async networkNames(ids: readonly string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows: Array<{ id: string; name: string }> = await db('networks').select('id', 'name').whereIn('id', [...ids]);
      return new Map(rows.map((r) => [r.id, r.name]));
    },

    /** Every network (null), or those that hold this organisation. */
    async listNetworks(organisationId: string | null): Promise<Network[]> {
      const query = networks();
      if (organisationId !== null) query.whereIn('id', db('network_members').select('network_id').where({ organisation_id: organisationId }));
      return withMembers(await query);
    },


    /** Replaces the members; an organisation that leaves takes its waves out of the benchmark. */
    async setMembers(networkId: string, organisationIds: string[]): Promise<void> {
      await db('network_members').where({ network_id: networkId }).delete();
      if (organisationIds.length > 0) await db('network_members').insert(organisationIds.map((o) => ({ network_id: networkId, organisation_id: o })));
      const leaving = db('benchmark_waves').where({ network_id: networkId });
      if (organisationIds.length > 0) leaving.whereNotIn('organisation_id', organisationIds);
      await leaving.delete();
    },

    async optIn(networkId: string, organisationId: string, instrumentKey: string, waveId: string): Promise<void> {
      await db('benchmark_waves').where({ network_id: networkId, organisation_id: organisationId, instrument_key: instrumentKey }).delete();
      await db('benchmark_waves').insert({ network_id: networkId, organisation_id: organisationId, instrument_key: instrumentKey, wave_id: waveId });
    },

    async optOut(waveId: string): Promise<number> {
      return db('benchmark_waves').where({ wave_id: waveId }).delete();
    },

    async benchmarkOfWave(waveId: string): Promise<{ networkId: string; instrumentKey: string } | null> {
      const row = await db('benchmark_waves').select('network_id', 'instrument_key').where({ wave_id: waveId }).first();
      return row ? { networkId: row.network_id, instrumentKey: row.instrument_key } : null;
    },

    async contributingWaves(networkId: string, instrumentKey: string): Promise<Array<{ organisationId: string; waveId: string }>> {
      const rows = await db('benchmark_waves as b')
        .join('network_members as m', function joinMembers() { this.on('m.network_id', 'b.network_id').andOn('m.organisation_id', 'b.organisation_id'); })
        .select('b.organisation_id', 'b.wave_id').where({ 'b.network_id': networkId, 'b.instrument_key': instrumentKey }).orderBy('b.organisation_id');
      return rows.map((r: { organisation_id: string; wave_id: string }) => ({ organisationId: r.organisation_id, waveId: r.wave_id }));
    },

    /** The sets of organisations shown before, per item. */
    async disclosures(networkId: string, instrumentKey: string): Promise<Map<string, string[][]>> {
      const rows = await db('benchmark_disclosures').select('item', 'organisations').where({ network_id: networkId, instrument_key: instrumentKey });
      const byItem = new Map<string, string[][]>();
      for (const r of rows as Array<{ item: string; organisations: string }>) byItem.set(r.item, [...(byItem.get(r.item) ?? []), r.organisations.split(',')]);
      return byItem;
    },

    async recordDisclosure(networkId: string, instrumentKey: string, item: string, organisationIds: string[]): Promise<void> {
      const organisations = [...organisationIds].sort().join(',');
      const setHash = crypto.createHash('sha256').update(organisations).digest('hex');
      await db('benchmark_disclosures').insert({ network_id: networkId, instrument_key: instrumentKey, item, set_hash: setHash, organisations })
        .onConflict(['network_id', 'instrument_key', 'item', 'set_hash']).ignore();
    },
  };
}
