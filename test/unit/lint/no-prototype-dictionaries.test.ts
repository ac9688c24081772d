// The lint rule that keeps input-derived keys away from Object.prototype (eslint.config.mjs,
// noPrototypeDictionaries) is itself checked: it must flag the shapes that caused the
// pollution through the CSV mapping form, and let the safe ones through.
import path from 'node:path';
import { expect } from 'chai';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

async function ruleHits(code: string): Promise<number> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, 'server', 'csv', 'lint-example.ts') });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').length;
}

describe('the lint rule against dictionaries with a prototype', function () {
  this.timeout(30000);

  it('flags the shapes that let `__proto__` reach Object.prototype', async () => {
    const hostile = [
      'export function f(k: string, j: string) { const answers: Record<string, Record<string, string>> = {}; (answers[k] ??= {})[j] = "x"; return answers; }',
      'export function f(o: Record<string, Record<string, string>>, k: string, j: string) { o[k][j] = "x"; }',
      'export function f(o: Record<string, unknown>, k: string) { return k in o; }',
      'export function f(o: object) { const keys = []; for (const k in o) keys.push(k); return keys; }',
    ];
    for (const code of hostile) expect(await ruleHits(code), code).to.be.at.least(1);
  });

  it('lets Maps, Object.create(null) and Object.fromEntries through', async () => {
    const safe = [
      'export function f(k: string, j: string) { const answers = new Map<string, Map<string, string>>(); const m = answers.get(k) ?? new Map(); m.set(j, "x"); answers.set(k, m); return answers; }',
      'export function f(k: string) { const o: Record<string, string> = Object.create(null); o[k] = "x"; return o; }',
      'export function f(e: Array<[string, string]>) { return Object.fromEntries(e); }',
      "export function f(o: object) { return 'rows' in o || Object.hasOwn(o, 'x'); }",
    ];
    for (const code of safe) expect(await ruleHits(code), code).to.equal(0);
  });
});
