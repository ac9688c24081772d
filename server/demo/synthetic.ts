// Synthetic answers for the demo organisation: plausible, reproducible (a seeded
// generator), and always valid for the instrument, because they pass the same validation
// as a real submission before they are stored.
import mt19937 from '@stdlib/random-base-mt19937';

type Data = Record<string, unknown>;

export interface Random {
  next(): number; // [0, 1)
  pick<T>(items: readonly T[]): T;
  weighted<T>(items: readonly T[], weights: readonly number[]): T;
  chance(p: number): boolean;
}

export function seededRandom(seed: number): Random {
  const generate = mt19937.factory({ seed });
  const next = () => generate() / 4294967296; // 32-bit integers to [0, 1)
  return {
    next,
    pick: (items) => items[Math.floor(next() * items.length)],
    weighted(items, weights) {
      const total = weights.reduce((a, b) => a + b, 0);
      let r = next() * total;
      for (let i = 0; i < items.length; i++) {
        r -= weights[i];
        if (r < 0) return items[i];
      }
      return items[items.length - 1];
    },
    chance: (p) => next() < p,
  };
}

const WEERMAN_QUESTIONS = [
  'Wie is hier eigenaar van?',
  'Hoe weten we wat medewerkers zelf meebrengen?',
  'Wat hebben andere opvangorganisaties hierover vastgelegd?',
  'Hoe betrekken we de cliëntenraad?',
  'Welke scholing past hierbij?',
];

interface WeermanView { items: Array<{ current: string; desired: string; questions: string }>; sources: Array<{ current: string; desired: string }> }

/** One MT member's Weerman scan; `progress` (0-1) moves the current state towards the desired one. */
export function weermanResponse(view: WeermanView, roles: string[], random: Random, progress: number): Data {
  const data: Data = { rol: random.pick(roles) };
  for (const item of [...view.sources, ...view.items]) {
    if (random.chance(0.12)) {
      data[item.current] = 'dontknow';
    } else {
      const current = Math.min(4, random.weighted([0, 1, 2, 3], [3, 4, 3, 1]) + (random.chance(progress) ? 1 : 0));
      data[item.current] = current;
      data[item.desired] = Math.min(4, current + random.weighted([0, 1, 2, 3], [1, 3, 4, 2]));
    }
    if ('questions' in item && random.chance(0.2)) data[(item as { questions: string }).questions] = random.pick(WEERMAN_QUESTIONS);
  }
  return data;
}

interface ValenteView { steps: Array<{ actions: Array<{ id: string; status: string; decision: string | null }> }> }

/** One view of the Valente action plan; later waves (`progress` near 1) have more done. */
export function valenteResponse(view: ValenteView, random: Random, progress: number): Data {
  const data: Data = {};
  const statuses = ['niet_gestart', 'in_voorbereiding', 'bezig', 'gerealiseerd'];
  view.steps.forEach((step, stepIndex) => {
    for (const action of step.actions) {
      // Earlier steps are further along, as organisations work through the plan in order.
      const lead = Math.max(0, progress * 4 - stepIndex * 0.5);
      const status = random.chance(0.05) ? 'nvt' : statuses[Math.min(3, Math.floor(lead + random.next() * 1.5))];
      data[action.status] = status;
      if (status === 'nvt') data[`${action.id}_reden`] = 'Past niet bij de omvang van onze organisatie.';
      if (action.decision) {
        const decision = random.weighted(['open', 'wel', 'niet'], [3 - 2 * progress, 2 + 2 * progress, 1]);
        data[action.decision] = decision;
        if (decision === 'niet') data[`${action.id}_motivatie`] = 'Besproken in het MT; nu geen prioriteit.';
      }
    }
  });
  data.s4a2_kerntaken = { a: random.pick(['nee', 'deels', 'ja']), b: random.pick(['deels', 'ja']), c: random.pick(['nee', 'deels']), d: random.pick(['nee', 'deels', 'ja']) };
  return data;
}

/**
 * A quickscan respondent for a later year: the report's answer pattern, moved a little
 * towards agreement, as an organisation might see after a year of attention.
 */
export function laterQuickscanResponse(random: Random, base: Data): Data {
  const data: Data = { ...base };
  for (const [key, value] of Object.entries(base)) {
    if (key.startsWith('t') && value && typeof value === 'object' && !Array.isArray(value)) {
      const rows: Record<string, number> = {};
      for (const [row, answer] of Object.entries(value as Record<string, number>)) {
        rows[row] = random.chance(0.25) ? Math.min(5, answer + 1) : answer;
      }
      data[key] = rows;
    }
  }
  return data;
}
