// Many different TNO quickscan submissions that all pass validation, from a seeded random
// source: load and crash tests send what real respondents would, not one answer repeated.
// Every route of the instrument is taken: professional or student, own experience or not,
// refused items, the exclusive "Met niemand", open answers, and now and then contact details.
import crypto from 'node:crypto';

export type Random = () => number;

/** mulberry32: small, fast and reproducible; good enough to vary test answers. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The instrument's choices that the generated answers pick from (also bench/quickscan-data.ts). */
export const SECTORS = ['jeugdhulp_opvoeding', 'residentiele_jeugdzorg', 'maatschappelijk_werk', 'veilig_thuis', 'jeugdbescherming',
  'jggz', 'vggz', 'vrouwenopvang', 'lokaal_teams', 'mee', 'anders'];
export const INSTITUTIONS = ['haagse_hogeschool', 'universiteit_leiden', 'hogeschool_rotterdam', 'hogeschool_inholland', 'han', 'hogeschool_leiden', 'anders'];
export const WHEN = ['vroeger', 'recentelijk', 'actueel'];
export const KINDS = ['fysieke_mishandeling', 'emotionele_mishandeling', 'partnergeweld', 'getuige_partnergeweld', 'seksueel_misbruik',
  'kindermishandeling', 'verwaarlozing', 'ouders_psychische_problematiek', 'psychische_onveiligheid', 'anders'];
const OPEN_TEXTS = ['Meer ruimte in de intervisie zou helpen.', 'Ik deel het alleen met mensen die ik vertrouw.',
  'Scholing over de eigen rol, graag met ervaringsdeskundigen erbij.', 'Er is op mijn werk weinig tijd voor.'];

export function quickscanAnswers(random: Random = Math.random): Record<string, unknown> {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const chance = (p: number) => random() < p;
  const someOf = (list: readonly string[]): string[] => {
    const chosen = list.filter(() => chance(0.3));
    return chosen.length > 0 ? chosen : [pick(list)];
  };
  const scale = (n: number) => 1 + Math.floor(random() * n);
  const matrix = (rows: string[]) => {
    const value: Record<string, number> = {};
    for (const row of rows) if (chance(0.85)) value[row] = scale(5);
    return Object.keys(value).length > 0 ? value : undefined;
  };
  const rows = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}_${i + 1}`);

  const student = chance(0.4);
  const experience = chance(0.08) ? 'refused' : pick(['ja', 'nee']);
  const data: Record<string, unknown> = { b_role: student ? 'student' : 'professional', c_ervaring: experience };
  if (student) {
    data.b_instelling = pick(INSTITUTIONS);
    if (chance(0.9)) data.b_voltijd = pick(['voltijd', 'deeltijd', 'duaal']);
  } else if (chance(0.95)) {
    data.b_sector = someOf(SECTORS);
  }
  if (experience === 'ja') {
    if (chance(0.9)) data.c_wanneer = chance(0.1) ? ['refused'] : someOf(WHEN);
    if (chance(0.8)) data.c_soort = chance(0.1) ? ['refused'] : someOf(KINDS);
    const sharing = student ? ['studiegenoten', 'stagebegeleider', 'clienten', 'anders'] : ['collegas', 'leidinggevenden', 'clienten', 'anders'];
    if (chance(0.85)) data.d_delen_met = chance(0.15) ? [pick(['none', 'refused'])] : someOf(sharing);
    if (chance(0.3)) data.d_toelichting = pick(OPEN_TEXTS);
    if (chance(0.9)) data.t8_scholing = chance(0.1) ? 'refused' : scale(4);
    if (chance(0.3)) data.j_open_leren = pick(OPEN_TEXTS);
    if (chance(0.2)) data.j_open_faciliteren = pick(OPEN_TEXTS);
  }
  if (chance(0.9)) data.c_collegas = pick(['ja', 'nee', 'refused']);
  if (chance(0.95)) data.e_wenselijk = scale(4);
  if (chance(0.2)) data.e_toelichting = pick(OPEN_TEXTS);
  if (chance(0.95)) data.f_leren = scale(5);
  const t5 = matrix(rows('t5', 9));
  if (t5) data.t5 = t5;
  if (chance(0.15)) data.t5_toelichting = pick(OPEN_TEXTS);
  if (chance(0.95)) data.t6_belemmerd = scale(5);
  const t7 = matrix(rows('t7', 6));
  if (t7) data.t7 = t7;
  if (student) {
    const t9 = matrix(rows('t9', 4));
    if (t9) data.t9 = t9;
  }
  const t10 = matrix(rows('t10', student ? 5 : 4));
  if (t10) data.t10 = t10;
  if (chance(0.1)) data.t10_aanvulling = pick(OPEN_TEXTS);
  if (chance(0.7)) {
    data.m_interview = chance(0.1) ? 'ja' : 'nee';
    if (data.m_interview === 'ja') data.m_contact = { naam: 'Test Persoon', email: 'test@example.org' };
  }
  return data;
}

export interface Submission {
  submissionId: string;
  data: Record<string, unknown>;
}

/** `count` submissions with fresh ids, reproducible from `seed` apart from the ids. */
export function quickscanSubmissions(count: number, seed = 1): Submission[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => ({ submissionId: crypto.randomUUID(), data: quickscanAnswers(random) }));
}
