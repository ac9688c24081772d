import { expect } from 'chai';
import { loadInstrumentFiles, parseInstrumentFile, InstrumentFileError } from '../../../server/instruments/instrument-file';
import { SURVEYS_DIR, testInstrumentFiles } from '../../helpers/app';
import fs from 'node:fs';
import path from 'node:path';

const tnoText = fs.readFileSync(path.join(SURVEYS_DIR, 'tno-quickscan.json'), 'utf8');

function tamper(edit: (file: { definition: { pages: Array<{ elements: Array<Record<string, unknown>> }> }; meta: Record<string, unknown> }) => void): string {
  const file = JSON.parse(tnoText);
  edit(file);
  return JSON.stringify(file);
}

function problemsOf(text: string): string[] {
  try {
    parseInstrumentFile('tno-quickscan.json', text);
  } catch (err) {
    expect(err).to.be.instanceOf(InstrumentFileError);
    return (err as InstrumentFileError).problems;
  }
  throw new Error('the file was accepted');
}

describe('instrument files in surveys/', () => {
  it('all load and validate, one per instrument key', () => {
    const keys = testInstrumentFiles().map((f) => f.key).sort();
    expect(keys).to.deep.equal(['movisie-gemeente', 'tno-quickscan', 'valente-zes-stappen', 'weerman-organisatiescan']);
  });

  it('carry attribution and a source reference for every question', () => {
    for (const file of testInstrumentFiles()) {
      expect(file.meta.attribution, file.key).to.be.a('string').with.length.above(10);
      expect(file.definition.locale, file.key).to.equal('nl');
    }
  });

  it('name closed questions that describe the respondent as background (meta.background)', () => {
    const background = new Map(testInstrumentFiles().map((f) => [f.key, f.meta.background]));
    expect(background.get('tno-quickscan')).to.deep.equal(['b_role', 'b_sector', 'b_instelling', 'b_voltijd', 'c_ervaring']);
    expect(background.get('weerman-organisatiescan')).to.deep.equal(['rol']);
    expect(background.get('valente-zes-stappen')).to.deep.equal([]);
  });

  it('hash the content, so the same file gives the same hash', () => {
    const [first] = loadInstrumentFiles(SURVEYS_DIR);
    const again = parseInstrumentFile(`${first.key}.json`, JSON.stringify(JSON.parse(fs.readFileSync(path.join(SURVEYS_DIR, `${first.key}.json`), 'utf8')), null, 4));
    expect(again.hash).to.equal(first.hash);
  });
});

describe('a broken instrument file is refused with file, element and rule', () => {
  it('refuses meta.background naming a missing question, an open question or a contact question', () => {
    const problems = problemsOf(tamper((f) => { f.meta.background = ['b_role', 'b_bestaat_niet', 'e_toelichting', 'm_interview']; })).join('\n');
    expect(problems).to.contain('element "b_bestaat_niet": meta.background names a question that does not exist');
    expect(problems).to.match(/element "e_toelichting": meta.background names a comment question; only closed questions/);
    expect(problems).to.contain('element "m_interview": meta.background may not name a contact question');
    expect(problems).not.to.contain('element "b_role"');
    expect(problemsOf(tamper((f) => { f.meta.background = 'b_role'; })).join('\n')).to.contain('meta.background must be a list of question names');
  });

  it('refuses a script in an html element', () => {
    const problems = problemsOf(tamper((f) => {
      f.definition.pages[0].elements.unshift({ type: 'html', name: 'evil', html: '<p>hoi</p><script>alert(1)</script>' });
    }));
    expect(problems.join('\n')).to.contain('surveys/tno-quickscan.json: element "evil": html may not contain <script>');
  });

  it('refuses attributes such as event handlers in html', () => {
    const problems = problemsOf(tamper((f) => {
      f.definition.pages[0].elements.unshift({ type: 'html', name: 'evil', html: '<p onclick="x()">hoi</p>' });
    }));
    expect(problems.join('\n')).to.match(/element "evil": html tags may not have attributes/);
  });

  it('refuses a duplicate name', () => {
    const problems = problemsOf(tamper((f) => {
      const first = f.definition.pages[1].elements[0];
      f.definition.pages[1].elements.push({ ...first });
    }));
    expect(problems.join('\n')).to.match(/names must be unique/);
  });

  for (const name of ['__proto__', 'constructor', 'prototype']) {
    it(`refuses a question named ${name}, which every JavaScript object already has`, () => {
      const problems = problemsOf(tamper((f) => {
        const element = f.definition.pages[1].elements[0];
        const items = f.meta.items as Record<string, unknown>;
        items[name] = items[String(element.name)];
        element.name = name;
      }));
      expect(problems.join('\n')).to.contain(`element "${name}"`).and.contain('a name may not be one that every JavaScript object has');
    });
  }

  it('refuses a choice without a text', () => {
    const problems = problemsOf(tamper((f) => {
      const role = f.definition.pages.flatMap((p) => p.elements).find((e) => e.name === 'b_role')!;
      (role.choices as unknown[]).push({ value: 'anders' });
    }));
    expect(problems.join('\n')).to.match(/element "b_role\.choices\[2\]": every choice needs a value and a Dutch text/);
  });

  it('refuses markup and answer piping in titles', () => {
    const problems = problemsOf(tamper((f) => {
      const role = f.definition.pages.flatMap((p) => p.elements).find((e) => e.name === 'b_role')!;
      role.title = 'Hallo {m_contact}';
    }));
    expect(problems.join('\n')).to.match(/element "b_role": title may not pipe answers/);
  });

  it('refuses a property SurveyJS does not know', () => {
    const problems = problemsOf(tamper((f) => {
      const role = f.definition.pages.flatMap((p) => p.elements).find((e) => e.name === 'b_role')!;
      role.colour = 'red';
    }));
    expect(problems.join('\n')).to.match(/SurveyJS: .*colour/);
  });

  it('refuses a file without attribution', () => {
    const problems = problemsOf(tamper((f) => { delete f.meta.attribution; }));
    expect(problems.join('\n')).to.contain('surveys/tno-quickscan.json: meta.attribution');
  });

  it('refuses text that is not JSON', () => {
    expect(problemsOf('{ not json').join('\n')).to.contain('surveys/tno-quickscan.json: not valid JSON');
  });
});
