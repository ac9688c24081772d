import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { parseInstrumentFile, InstrumentFileError } from '../../../server/instruments/instrument-file';
import { allowedModes } from '../../../server/instruments/definition-rules';
import { SURVEYS_DIR, testInstrumentFiles } from '../../helpers/app';

const tnoText = fs.readFileSync(path.join(SURVEYS_DIR, 'tno-quickscan.json'), 'utf8');

function problemsWithModes(modes: unknown): string[] {
  const file = JSON.parse(tnoText);
  file.meta.modes = modes;
  try {
    parseInstrumentFile('tno-quickscan.json', JSON.stringify(file));
  } catch (err) {
    expect(err).to.be.instanceOf(InstrumentFileError);
    return (err as InstrumentFileError).problems;
  }
  return [];
}

describe('meta.modes: the wave modes an instrument allows', () => {
  it('lets the TNO quickscan run only anonymously, and the organisational instruments also as a team (issue 13)', () => {
    const byKey = new Map(testInstrumentFiles().map((f) => [f.key, allowedModes(f.meta)]));
    expect(byKey.get('tno-quickscan')).to.deep.equal(['anonymous']);
    expect(byKey.get('weerman-organisatiescan')).to.deep.equal(['anonymous', 'identified', 'team']);
    expect(byKey.get('valente-zes-stappen')).to.deep.equal(['anonymous', 'identified', 'team']);
  });

  it('defaults to anonymous and identified when meta.modes is absent', () => {
    expect(allowedModes({})).to.deep.equal(['anonymous', 'identified']);
  });

  it('refuses at load a mode that does not exist, an empty list, a list twice naming a mode, and a non-list', () => {
    expect(problemsWithModes(['anonymous', 'named']).join('\n')).to.match(/element "meta\.modes": meta\.modes lists "named"/);
    expect(problemsWithModes([]).join('\n')).to.match(/meta\.modes must be a non-empty list/);
    expect(problemsWithModes('anonymous').join('\n')).to.match(/meta\.modes must be a non-empty list/);
    expect(problemsWithModes(['anonymous', 'anonymous']).join('\n')).to.match(/lists "anonymous" twice/);
    expect(problemsWithModes(['anonymous', 'identified'])).to.deep.equal([]);
  });

  it('keeps anonymity out of the quickscan text: what is said about it comes from the wave', () => {
    const file = JSON.parse(tnoText);
    expect(JSON.stringify(file.definition)).not.to.match(/is anoniem/);
  });
});
