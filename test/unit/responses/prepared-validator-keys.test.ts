// Element types are looked up by the text an instrument's author wrote; a type such as
// `constructor` or `__proto__` names nothing, and the prepared validator steps aside for
// survey-core rather than throwing.
import { expect } from 'chai';
import { prepareValidator } from '../../../server/responses/prepared-validator';

describe('the prepared validator and element types that name JavaScript machinery', () => {
  for (const type of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    it(`declines a definition with an element of type "${type}"`, () => {
      const definition = { pages: [{ name: 'p1', elements: [{ type, name: 'q1' }] }] };
      expect(prepareValidator(definition)).to.equal(null);
    });
  }
});
