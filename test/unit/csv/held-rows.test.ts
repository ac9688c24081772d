import { expect } from 'chai';
import { heldRows } from '../../../server/csv/held-rows';

describe('the rows a k-anonymous export holds', () => {
  it('give back each row\'s text by its number, across runs, and nothing for a row not held', () => {
    const held = heldRows();
    const texts = Array.from({ length: 2500 }, (_, i) => (i % 7 === 3 ? undefined : `,${i},"a\r\nb"\r\n`));
    for (const text of texts) held.add(text);
    held.add('');
    texts.forEach((text, i) => {
      expect(held.has(i)).to.equal(text !== undefined);
      expect(held.get(i)).to.equal(text);
    });
    expect(held.get(2500)).to.equal('');
    expect(held.has(2501)).to.equal(false);
    expect(held.get(2501)).to.equal(undefined);
  });
});
