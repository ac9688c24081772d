// What changed between two versions of a team record, per question, in the instrument's
// order. Answers are compared as JSON, so a matrix or a list of ticked choices counts as
// changed when any part of it did. Pure.
import type { RecordChange } from './repository';

export function recordChanges(order: readonly string[], before: Record<string, unknown>, after: Record<string, unknown>): RecordChange[] {
  const names = new Set<string>(order);
  // Names that the definition no longer has (an older version's record) come last.
  for (const key of [...Object.keys(before), ...Object.keys(after)]) names.add(key);
  const changes: RecordChange[] = [];
  for (const name of names) {
    const was = Object.prototype.hasOwnProperty.call(before, name) ? before[name] : null;
    const now = Object.prototype.hasOwnProperty.call(after, name) ? after[name] : null;
    if (JSON.stringify(was) !== JSON.stringify(now)) changes.push({ question: name, before: was, after: now });
  }
  return changes;
}
