// What a network benchmark may show, as pure functions. An aggregate over a set of
// organisations may be set beside any aggregate shown before for the same item (by the
// network role, by an organisation comparing itself with the rest): their differences are
// aggregates too. Every such difference is a sum of "atoms": the organisations that lie in
// exactly the same of the sets shown. So a new set is shown only if, with it, every atom
// holds at least the minimum of organisations; then no combination of what was shown
// describes fewer. Six shown, then six minus an opt-out: an atom of one, refused.

/** A benchmark never covers fewer organisations than this, whatever a network is set to. */
export const MIN_ORGANISATIONS_FLOOR = 5;

export function setMayBeShown(shownBefore: readonly (readonly string[])[], candidate: readonly string[], minOrganisations: number): boolean {
  const min = Math.max(minOrganisations, MIN_ORGANISATIONS_FLOOR);
  if (new Set(candidate).size < min) return false;
  const sets = [...shownBefore.map((s) => new Set(s)), new Set(candidate)];
  const signatures = new Map<string, string>();
  for (const set of sets) for (const organisation of set) signatures.set(organisation, '');
  for (const organisation of signatures.keys()) signatures.set(organisation, sets.map((s) => (s.has(organisation) ? '1' : '0')).join(''));
  const atoms = new Map<string, number>();
  for (const signature of signatures.values()) atoms.set(signature, (atoms.get(signature) ?? 0) + 1);
  return [...atoms.values()].every((size) => size >= min);
}

/**
 * The quarter (1 lowest - 4 highest) in which `own` lies among `all` (own included), by its
 * mid-rank: the share below it plus half the share equal to it. Only the quarter is shown,
 * never a rank, so no other organisation's place can be read from it.
 */
export function quartileOf(own: number, all: readonly number[]): 1 | 2 | 3 | 4 {
  const below = all.filter((v) => v < own).length;
  const equal = all.filter((v) => v === own).length;
  const position = (below + equal / 2) / all.length;
  return Math.min(4, Math.floor(position * 4) + 1) as 1 | 2 | 3 | 4;
}
