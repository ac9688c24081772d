import { expect } from 'chai';
import { holm } from '../../../server/stats';

const TOL = 1e-6;

function expectAdjusted(actual: (number | null)[], reference: (number | null)[]): void {
  expect(actual.length).to.equal(reference.length);
  actual.forEach((value, i) => {
    if (reference[i] === null) expect(value, `[${i}]`).to.equal(null);
    else expect(value, `[${i}]`).to.be.closeTo(reference[i] as number, TOL);
  });
}

describe('stats/holm', () => {
  it("matches R's p.adjust(method = 'holm') and keeps the input order", () => {
    // R: p.adjust(c(0.01,0.04,0.03,0.005), "holm") -> 0.03 0.06 0.06 0.02
    expectAdjusted(holm([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02]);
  });

  it('gives tied p-values the same adjusted value', () => {
    // R: p.adjust(c(0.01,0.01,0.03,0.04,0.04), "holm") -> 0.05 0.05 0.09 0.09 0.09
    expectAdjusted(holm([0.01, 0.01, 0.03, 0.04, 0.04]), [0.05, 0.05, 0.09, 0.09, 0.09]);
  });

  it('skips untested items (null), which keep null and do not count as tests', () => {
    // R: p.adjust(c(0.02,NA,0.01,0.04,NA), "holm") -> 0.04 NA 0.03 0.04 NA
    expectAdjusted(holm([0.02, null, 0.01, 0.04, null]), [0.04, null, 0.03, 0.04, null]);
  });

  it('keeps the adjusted values monotone in the raw ones', () => {
    // R: p.adjust(c(0.001, 0.02, 0.019, 0.5, 0.0101), "holm") -> 0.005 0.057 0.057 0.5 0.0404
    expectAdjusted(holm([0.001, 0.02, 0.019, 0.5, 0.0101]), [0.005, 0.057, 0.057, 0.5, 0.0404]);
  });

  it('caps adjusted values at 1', () => {
    // R: p.adjust(c(0.5,0.6,0.9), "holm") -> 1 1 1
    expectAdjusted(holm([0.5, 0.6, 0.9]), [1, 1, 1]);
  });

  it('leaves a single p-value as it is', () => {
    // R: p.adjust(c(0.03), "holm") -> 0.03
    expectAdjusted(holm([0.03]), [0.03]);
  });

  it('handles an empty list and a list of only nulls', () => {
    expect(holm([])).to.deep.equal([]);
    expect(holm([null, null])).to.deep.equal([null, null]);
  });

  it('refuses values that are not p-values', () => {
    expect(() => holm([0.2, 1.5])).to.throw(RangeError);
    expect(() => holm([NaN])).to.throw(RangeError);
    expect(() => holm([-0.1])).to.throw(RangeError);
  });
});
