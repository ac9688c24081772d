import { expect } from 'chai';
import { prepareResponse } from '../../../server/responses/service';
import type { InstrumentVersion } from '../../../server/instruments/repository';
import { testInstrumentFiles } from '../../helpers/app';
import { quickscanSubmissions } from '../../helpers/quickscan-stream';

// The load benchmark and the crash tests rely on this generator: if the instrument changes
// so that its answers no longer pass, they would measure and test refusals instead.
describe('the generated quickscan submissions used by the load and crash tests', () => {
  it('all pass validation, and nothing they hold is dropped as invisible', () => {
    const file = testInstrumentFiles().find((f) => f.key === 'tno-quickscan')!;
    const instrument = { definition: file.definition, meta: file.meta } as unknown as InstrumentVersion;
    const contactQuestions = file.meta.contactQuestions as string[];
    for (const { data } of quickscanSubmissions(300, 7)) {
      const prepared = prepareResponse(instrument, data);
      expect(prepared.ok, JSON.stringify({ data, prepared })).to.equal(true);
      const expected = Object.fromEntries(Object.entries(data).filter(([name]) => !contactQuestions.includes(name)));
      expect((prepared as { data: unknown }).data).to.deep.equal(expected);
    }
  });
});
