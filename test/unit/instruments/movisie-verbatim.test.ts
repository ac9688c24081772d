// The municipality's route (surveys/movisie-gemeente.json) is the Movisie handreiking's text,
// verbatim (issue 16): every element whose meta.items entry says "V" is laid beside the lines
// of the seed it names (000_f0a7b732199ffa56.txt, the handreiking as text) and must be found
// there, sentence by sentence. What the instrument notes as its own changes is allowed for:
// hyphens at line ends are dropped, list numbers and bullets left out, a sentence's last
// punctuation mark may differ (a colon before a list becomes a full stop), and a page title
// may join two headings with a colon. The seed is not part of the repository: it is looked
// for in $SPIEGEL_SEEDS, in ../shared/seeds beside the checkout, and beside the main checkout
// of a git worktree; the check is skipped (and says so) only where none of these has it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { SURVEYS_DIR } from '../../helpers/app';

const SEED = '000_f0a7b732199ffa56.txt';
/** The lines issue 16 names: the roles (385-404), the areas (631-643), the route (1395-1437), preconditions to embedding (1775-1876). */
const ISSUE_RANGES: Array<[number, number]> = [[385, 404], [631, 643], [1395, 1437], [1775, 1876]];
/** A reference may point a line or two beside a sentence that runs over a blank line (a page break in the source). */
const SLACK = 3;

function seedLines(): string[] | null {
  const root = path.resolve(SURVEYS_DIR, '..');
  const candidates = [process.env.SPIEGEL_SEEDS, path.resolve(root, '..', 'shared', 'seeds')];
  try {
    const common = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: root, encoding: 'utf8', timeout: 10000 }).trim();
    candidates.push(path.resolve(path.dirname(common), '..', 'shared', 'seeds'));
  } catch { /* not a git checkout: the other places only */ }
  for (const dir of candidates) {
    if (dir && fs.existsSync(path.join(dir, SEED))) return fs.readFileSync(path.join(dir, SEED), 'utf8').split('\n');
  }
  return null;
}

const normalise = (text: string) => text.toLowerCase().replace(/[‘’]/g, '\'').replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim();

/** The lines of a reference such as "M:1397-1399, 1410-1411", each range widened by SLACK, as one normalised text. */
function sourceText(lines: string[], ref: string): string {
  const ranges = ref.replace(/^M:/, '').split(',').map((part) => part.trim().split('-').map(Number));
  const picked = ranges.flatMap(([from, to]) => lines.slice(from - 1 - SLACK, (to ?? from) + SLACK));
  return normalise(picked.join('\n')
    .replace(/(\p{L})-[ \t]*\n(\s*\n)*\s*(\p{Ll})/gu, '$1$3') // ervaringsdes-\n\nkundigen
    .replace(/^\s*(\d+\.|•|\*|–|-)\s+/gm, '')); // list numbers and bullets
}

interface Element { name?: string; type?: string; title?: string; description?: string; html?: string; elements?: Element[] }

/** The texts of an element that carry the source's words. */
function textsOf(element: Element): string[] {
  if (element.type === 'html') return [String(element.html).replace(/<[^>]+>/g, ' ')];
  if (element.type === 'panel') return [element.description ?? ''];
  if (element.type === undefined) return String(element.title).replace(/^\d+\.\s*/, '').split(':'); // a page: "1. Concreet aan de slag"
  return [element.title ?? ''];
}

/** Sentences and clauses, without a leading dash (a bullet in the source) and their last punctuation mark. */
const fragments = (text: string) => normalise(text).split(/(?<=[.?:!…])\s+/)
  .map((f) => f.replace(/^[–•*-]\s+/, '').replace(/[.?:!…;,]+$/, '').trim()).filter((f) => f.length > 2);

describe('the municipality\'s route against the Movisie handreiking (seed 000)', () => {
  const instrument = JSON.parse(fs.readFileSync(path.join(SURVEYS_DIR, 'movisie-gemeente.json'), 'utf8'));
  const items = Object.entries(instrument.meta.items as Record<string, { ref: string; status: string }>);
  const verbatim = items.filter(([, item]) => item.status === 'V');
  const elements = new Map<string, Element>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) { value.forEach(walk); return; }
    if (value === null || typeof value !== 'object') return;
    const element = value as Element;
    if (typeof element.name === 'string' && !elements.has(element.name)) elements.set(element.name, element);
    Object.values(value).forEach(walk);
  };
  walk(instrument.definition.pages);
  let lines: string[] | null = null;
  before(function () {
    lines = seedLines();
    if (lines === null) { console.warn(`      (${SEED} not found: set SPIEGEL_SEEDS to its directory)`); this.skip(); }
  });

  it('carries its attribution and names the seed and the lines of the issue', () => {
    expect(instrument.meta.attribution).to.contain('Movisie').and.contain('Samen deskundig');
    expect(instrument.meta.source.seed).to.equal(SEED);
    expect(instrument.meta.source.lines).to.equal(ISSUE_RANGES.map(([a, b]) => `${a}-${b}`).join(', '));
    expect(verbatim.length).to.be.at.least(45);
  });

  it('takes every verbatim text from the lines it names, within the lines the issue names', () => {
    const misses: string[] = [];
    for (const [name, item] of verbatim) {
      const element = elements.get(name);
      if (!element) { misses.push(`${name}: no such element`); continue; }
      for (const [from, to] of item.ref.replace(/^M:/, '').split(',').map((p) => p.trim().split('-').map(Number))) {
        const inIssue = ISSUE_RANGES.some(([a, b]) => from >= a - SLACK && (to ?? from) <= b + SLACK);
        if (!inIssue) misses.push(`${name}: ${item.ref} lies outside the lines of the issue`);
      }
      const source = sourceText(lines!, item.ref);
      for (const text of textsOf(element)) {
        for (const fragment of fragments(text)) if (!source.includes(fragment)) misses.push(`${name} (${item.ref}): “${fragment}”`);
      }
    }
    expect(misses).to.deep.equal([]);
  });

  it('would see a changed word', () => {
    const [name, item] = verbatim.find(([n]) => n === 's1a2')!;
    const source = sourceText(lines!, item.ref);
    const changed = textsOf(elements.get(name)!)[0].replace('competenties', 'vaardigheden');
    expect(fragments(changed).every((f) => source.includes(f))).to.equal(false);
  });
});
