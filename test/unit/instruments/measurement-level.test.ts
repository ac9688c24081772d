import { expect } from 'chai';
import { declaredTestFamilies, levelDeclarationProblems, measurementLevelOf } from '../../../server/instruments/measurement-level';
import { loadInstrumentFiles, parseInstrumentFile, InstrumentFileError } from '../../../server/instruments/instrument-file';
import { SURVEYS_DIR } from '../../helpers/app';
import fs from 'node:fs';
import path from 'node:path';

describe('instruments/measurement-level', () => {
  const instrument = { meta: { levels: { t5: 'ordinal', leeftijd: 'scale', odd: 'interval' }, testFamilies: [{ name: 'Stellingen', questions: ['t5', 't7'] }] } };

  it('reads the declared level, nominal when not declared (or declared as something else)', () => {
    expect(measurementLevelOf(instrument, 't5')).to.equal('ordinal');
    expect(measurementLevelOf(instrument, 'leeftijd')).to.equal('scale');
    expect(measurementLevelOf(instrument, 'b_role')).to.equal('nominal');
    expect(measurementLevelOf(instrument, 'odd')).to.equal('nominal');
    expect(measurementLevelOf({ meta: {} }, 't5')).to.equal('nominal');
    expect(measurementLevelOf(instrument, '__proto__')).to.equal('nominal');
  });

  it('reads the declared test families', () => {
    expect(declaredTestFamilies(instrument)).to.deep.equal([{ name: 'Stellingen', questions: ['t5', 't7'] }]);
    expect(declaredTestFamilies({ meta: { testFamilies: 'x' } })).to.deep.equal([]);
  });

  it('lists every problem of a declaration', () => {
    const types = new Map([['t5', 'matrix'], ['t7', 'matrix'], ['b_sector', 'checkbox']]);
    const problems = levelDeclarationProblems({
      levels: { t5: 'ordinal', nope: 'ordinal', t7: 'interval', b_sector: 'ordinal' },
      testFamilies: [{ name: 'A', questions: ['t5', 'gone'] }, { name: 'B', questions: ['t5'] }, { questions: [] }],
    }, types);
    expect(problems.map((p) => p.element)).to.deep.equal(['nope', 't7', 'b_sector', 'gone', 't5', 'meta.testFamilies']);
  });

  it('refuses an instrument file whose levels name a missing question', () => {
    const file = JSON.parse(fs.readFileSync(path.join(SURVEYS_DIR, 'tno-quickscan.json'), 'utf8'));
    file.meta.levels.t99 = 'ordinal';
    expect(() => parseInstrumentFile('tno-quickscan.json', JSON.stringify(file))).to.throw(InstrumentFileError, /t99/);
  });

  it('declares the Likert and 0-4 items of the three instruments ordinal', () => {
    const files = loadInstrumentFiles(SURVEYS_DIR);
    const byKey = new Map(files.map((f) => [f.key, f]));
    for (const name of ['e_wenselijk', 'f_leren', 't5', 't6_belemmerd', 't7', 't8_scholing', 't9', 't10']) {
      expect(measurementLevelOf(byKey.get('tno-quickscan')!, name), name).to.equal('ordinal');
    }
    expect(measurementLevelOf(byKey.get('tno-quickscan')!, 'b_role')).to.equal('nominal');
    expect(measurementLevelOf(byKey.get('weerman-organisatiescan')!, 'w01_is')).to.equal('ordinal');
    expect(measurementLevelOf(byKey.get('weerman-organisatiescan')!, 'bron_managers_wens')).to.equal('ordinal');
    expect(measurementLevelOf(byKey.get('weerman-organisatiescan')!, 'rol')).to.equal('nominal');
    expect(measurementLevelOf(byKey.get('valente-zes-stappen')!, 's4a2_kerntaken')).to.equal('ordinal');
  });
});
