import crypto from 'node:crypto';
import type { Knex } from 'knex';

export interface Invitation {
  id: string;
  waveId: string;
  token: string;
  name: string | null;
  usedOn: string | null;
  /** The day its response was made void, if it was. */
  voidedOn: string | null;
}

interface Row { id: string; wave_id: string; token: string; name: string | null; used_on: string | null; voided_on?: string | null; panel_key?: string | null }

const fromRow = (r: Row): Invitation => ({ id: r.id, waveId: r.wave_id, token: r.token, name: r.name, usedOn: r.used_on, voidedOn: r.voided_on ?? null });

export function createInvitationRepository(db: Knex | Knex.Transaction) {
  return {
    /**
     * Every invitation is one person of a panel: `panelKey` carries a person over from an
     * earlier wave of the series; without it the person is new (a fresh random key). The key
     * never leaves the database: Invitation has no field for it.
     */
    async createMany(waveId: string, entries: Array<{ token: string; name: string | null; panelKey?: string }>): Promise<Invitation[]> {
      const rows: Row[] = entries.map((e) => ({
        id: crypto.randomUUID(), wave_id: waveId, token: e.token, name: e.name, used_on: null, panel_key: e.panelKey ?? crypto.randomUUID(),
      }));
      for (let i = 0; i < rows.length; i += 100) await db('invitations').insert(rows.slice(i, i + 100));
      return rows.map(fromRow);
    },

    /** The people of a wave's panel, for carrying them over to the next wave: name and pseudonymous key. */
    async panelOf(waveId: string): Promise<Array<{ name: string | null; panelKey: string }>> {
      const rows = await db<Row>('invitations').where({ wave_id: waveId }).whereNotNull('panel_key')
        .orderBy([{ column: 'created_at' }, { column: 'name' }, { column: 'id' }]).select('name', 'panel_key');
      return rows.map((r) => ({ name: r.name, panelKey: r.panel_key! }));
    },

    /** Unscoped: the respondent holds the token. */
    async findByToken(token: string): Promise<Invitation | null> {
      const row = await db<Row>('invitations').where({ token }).first();
      return row ? fromRow(row) : null;
    },

    /** The caller has already checked that the wave is in scope. */
    async listForWave(waveId: string): Promise<Invitation[]> {
      return (await db<Row>('invitations').where({ wave_id: waveId }).orderBy([{ column: 'created_at' }, { column: 'name' }, { column: 'id' }])).map(fromRow);
    },

    /** The caller has already checked that the wave is in scope. */
    async findInWave(waveId: string, id: string): Promise<Invitation | null> {
      const row = await db<Row>('invitations').where({ wave_id: waveId, id }).first();
      return row ? fromRow(row) : null;
    },

    /**
     * Records that the invitation's response was made void; with a new token, the
     * invitation is reissued: unused again, reachable only through the new link.
     */
    async markVoided(id: string, day: string, newToken: string | null): Promise<void> {
      await db('invitations').where({ id }).update(newToken ? { voided_on: day, used_on: null, token: newToken } : { voided_on: day });
    },

    /** Marks the invitation used; false when it already was (two tabs, two submissions). */
    async markUsed(id: string, day: string): Promise<boolean> {
      return (await db('invitations').where({ id }).whereNull('used_on').update({ used_on: day })) === 1;
    },
  };
}
