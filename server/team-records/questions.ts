// The questions of an instrument in their order, each with the title people know it by: a
// sub-question of a panel is named with the panel's title first ("Actie 1.2 · Status van
// deze actie"), so that a revision's list of changes says which action changed.
type Element = { type?: string; name?: string; title?: string; elements?: Element[]; templateElements?: Element[] };

export interface RecordQuestion { name: string; title: string; type: string }

export function recordQuestions(definition: Record<string, unknown>): RecordQuestion[] {
  const out: RecordQuestion[] = [];
  const walk = (elements: Element[] | undefined, context: string | null) => {
    for (const element of elements ?? []) {
      if (element.type === 'panel') { walk(element.elements, element.title ?? element.name ?? context); continue; }
      if (element.type === 'html' || typeof element.name !== 'string') continue;
      const own = element.title ?? element.name;
      out.push({ name: element.name, type: String(element.type), title: context ? `${context} · ${own}` : own });
    }
  };
  for (const page of (definition.pages as Array<{ elements?: Element[] }> | undefined) ?? []) walk(page.elements, null);
  walk(definition.elements as Element[] | undefined, null);
  return out;
}
