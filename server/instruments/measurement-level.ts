// The measurement level of each question, declared in the instrument's meta, and the
// question blocks whose items are tested together (the family of the multiple-testing
// adjustment). Both are read by the results (which tests apply, which items are adjusted
// together), the codebook and the SPSS/R export (VARIABLE LEVEL).
//
// meta.levels: {"<question>": "nominal" | "ordinal" | "scale"}. Not listed: nominal. An
// ordinal question's choices are in their order on the scale (the instrument's order);
// its missing values (meta.missingValues) are not on the scale.
//
// meta.testFamilies: [{"name": "Stellingen over vaardigheden", "questions": ["t5", "t7"]}].
// A question in no declared family belongs to its page's family (named by the page title).

export type MeasurementLevel = 'nominal' | 'ordinal' | 'scale';
export const MEASUREMENT_LEVELS: readonly MeasurementLevel[] = ['nominal', 'ordinal', 'scale'];

type Meta = Record<string, unknown>;
interface WithMeta { meta: Meta }

function levelsOf(meta: Meta): ReadonlyMap<string, MeasurementLevel> {
  const declared = meta.levels;
  const levels = new Map<string, MeasurementLevel>();
  if (!declared || typeof declared !== 'object' || Array.isArray(declared)) return levels;
  for (const [name, level] of Object.entries(declared as Record<string, unknown>)) {
    if ((MEASUREMENT_LEVELS as readonly unknown[]).includes(level)) levels.set(name, level as MeasurementLevel);
  }
  return levels;
}

/** The declared level of a question; nominal when the instrument does not say. */
export function measurementLevelOf(instrument: WithMeta, questionName: string): MeasurementLevel {
  return declaredMeasurementLevel(instrument, questionName) ?? 'nominal';
}

/** The level the instrument declares for a question, or null (the export then judges by the column's kind). */
export function declaredMeasurementLevel(instrument: WithMeta, questionName: string): MeasurementLevel | null {
  return levelsOf(instrument.meta).get(questionName) ?? null;
}

export interface DeclaredFamily { name: string; questions: string[] }

export function declaredTestFamilies(instrument: WithMeta): DeclaredFamily[] {
  const declared = instrument.meta.testFamilies;
  if (!Array.isArray(declared)) return [];
  return declared.flatMap((f: unknown) => {
    const family = f as { name?: unknown; questions?: unknown };
    if (typeof family?.name !== 'string' || !Array.isArray(family.questions)) return [];
    return [{ name: family.name, questions: family.questions.filter((q): q is string => typeof q === 'string') }];
  });
}

/**
 * What is wrong with meta.levels and meta.testFamilies, given the instrument's question
 * names and types: each a message for the 422 list of POST /api/v1/instruments.
 */
export function levelDeclarationProblems(meta: Meta, types: ReadonlyMap<string, string>): Array<{ element: string; rule: string }> {
  const problems: Array<{ element: string; rule: string }> = [];
  const levels = meta.levels;
  if (levels !== undefined) {
    if (!levels || typeof levels !== 'object' || Array.isArray(levels)) problems.push({ element: 'meta.levels', rule: 'meta.levels must map question names to nominal, ordinal or scale' });
    else {
      for (const [name, level] of Object.entries(levels as Record<string, unknown>)) {
        if (!types.has(name)) problems.push({ element: name, rule: 'meta.levels names a question that does not exist' });
        else if (!(MEASUREMENT_LEVELS as readonly unknown[]).includes(level)) problems.push({ element: name, rule: `meta.levels gives "${String(level)}"; a level is nominal, ordinal or scale` });
        else if (level !== 'nominal' && types.get(name) === 'checkbox') problems.push({ element: name, rule: 'a checkbox question is nominal: each choice is ticked or not' });
      }
    }
  }
  const families = meta.testFamilies;
  if (families !== undefined) {
    if (!Array.isArray(families)) problems.push({ element: 'meta.testFamilies', rule: 'meta.testFamilies must be a list of {name, questions}' });
    else {
      const seen = new Set<string>();
      for (const family of families as Array<{ name?: unknown; questions?: unknown }>) {
        if (typeof family?.name !== 'string' || family.name === '' || !Array.isArray(family.questions)) {
          problems.push({ element: 'meta.testFamilies', rule: 'each test family needs a name and a list of questions' });
          continue;
        }
        for (const name of family.questions) {
          if (typeof name !== 'string' || !types.has(name)) problems.push({ element: String(name), rule: 'meta.testFamilies names a question that does not exist' });
          else if (seen.has(name)) problems.push({ element: name, rule: 'a question belongs to one test family only' });
          else seen.add(name);
        }
      }
    }
  }
  return problems;
}
