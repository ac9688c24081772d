// Random but valid TNO quickscan answers for the results benchmark, from a seeded source so
// that every run loads the same data. Routing is respected (students get the study
// questions, respondents with own experience the follow-up), so the data is what the
// server would have kept; bench/results.ts validates a sample to make sure.
// The seeded generator (mulberry32) is the load and crash tests' own.
import { INSTITUTIONS, KINDS, Random, SECTORS, WHEN } from '../test/helpers/quickscan-stream';

/** Likert answers lean towards agreement, as in the report. */
const LIKERT = [0.03, 0.08, 0.27, 0.4, 0.22];

export function quickscanResponse(random: Random): Record<string, unknown> {
  const chance = (p: number) => random() < p;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const some = (list: readonly string[], max: number) => {
    const chosen = new Set<string>();
    const count = 1 + Math.floor(random() * max);
    while (chosen.size < count) chosen.add(pick(list));
    return list.filter((v) => chosen.has(v));
  };
  const likert = () => {
    let r = random();
    for (let v = 0; v < LIKERT.length; v++) if ((r -= LIKERT[v]) < 0) return v + 1;
    return 5;
  };
  const matrix = (prefix: string, rows: number) => {
    const value: Record<string, number> = {};
    for (let i = 1; i <= rows; i++) if (chance(0.95)) value[`${prefix}_${i}`] = likert();
    return value;
  };

  const student = chance(0.53);
  const experience = chance(0.05) ? 'refused' : chance(0.62) ? 'ja' : 'nee';
  const data: Record<string, unknown> = { b_role: student ? 'student' : 'professional', c_ervaring: experience };
  if (student) {
    data.b_instelling = pick(INSTITUTIONS);
    data.b_voltijd = pick(['voltijd', 'voltijd', 'deeltijd', 'duaal']);
  } else {
    data.b_sector = some(SECTORS, 3);
  }
  if (experience === 'ja') {
    data.c_wanneer = some(WHEN, 2);
    data.c_soort = some(KINDS, 3);
    const sharing = student ? ['studiegenoten', 'stagebegeleider', 'clienten', 'anders'] : ['collegas', 'leidinggevenden', 'clienten', 'anders'];
    data.d_delen_met = chance(0.15) ? ['none'] : chance(0.05) ? ['refused'] : some(sharing, 2);
    data.t8_scholing = 1 + Math.floor(random() * 4);
    if (chance(0.1)) data.d_toelichting = 'Ik deel het alleen met mensen die ik vertrouw.';
  }
  if (chance(0.9)) data.c_collegas = pick(['ja', 'nee', 'refused']);
  data.e_wenselijk = 1 + Math.floor(random() * 4);
  data.f_leren = likert();
  data.t5 = matrix('t5', 9);
  data.t6_belemmerd = likert();
  data.t7 = matrix('t7', 6);
  if (student) data.t9 = matrix('t9', 4);
  const t10 = matrix('t10', 4);
  if (student) t10.t10_5 = likert();
  data.t10 = t10;
  if (chance(0.05)) data.t5_toelichting = 'Het hangt af van de cliënt.';
  return data;
}
