// Public face of the statistics module: pure functions over contingency counts.
// Typical use for one comparison:
//   const outcomes = items.map((item) => testTable(item.counts));      // per item
//   const tests = toCompareTests(outcomes.map((o) => o.test));         // Holm + Dutch text
//   describeDifference({ groups, categories, residuals, pAdjusted }); // the sentence
export type { CountTable, Margins, DroppedTable } from './crosstab';
export {
  assertCountTable,
  dropEmpty,
  margins,
  rowPercentages,
  expectedCounts,
  minExpected,
  hasLowExpected,
} from './crosstab';
export {
  RESIDUAL_THRESHOLD,
  chiSquareStatistic,
  chiSquarePValue,
  degreesOfFreedom,
  cramersV,
  adjustedResiduals,
  significantCells,
  cellThreshold,
  P_FLOOR,
} from './chi-square';
export { normalQuantile, normalTwoSidedP } from './normal';
export { benjaminiHochberg } from './benjamini-hochberg';
export type { RankTest, LinearByLinear, OddsRatio } from './ordinal';
export { mannWhitney, kruskalWallis, rankTest, linearByLinear, oddsRatio, wilsonInterval } from './ordinal';
export type { SymmetryTest, SignedRankTest } from './paired';
export { symmetryTest, wilcoxonSignedRank } from './paired';
export { fisherExact2x2 } from './fisher';
export type { MonteCarloOptions, MonteCarloResult } from './monte-carlo';
export {
  MIN_REPLICATES,
  MAX_REPLICATES,
  DEFAULT_SEED,
  monteCarloChiSquare,
  resolveMonteCarloOptions,
  monteCarloStandardError,
  seedFor,
  adaptiveMonteCarloChiSquare,
  UNDECIDED_WITHIN_SE,
} from './monte-carlo';
export type { Uniform } from './random-table';
export { createTableSampler, createFlatTableSampler } from './random-table';
export { holm } from './holm';
export type { TableTest, TableTestOutcome, TestMethod, NoTestReason, TestTableOptions } from './test-table';
export { testTable } from './test-table';
export type { CompareTest, AdjustMethod, TestFamily, CompareTestOptions } from './compare-tests';
export { toCompareTests, adjustInFamilies, ADJUST_METHODS } from './compare-tests';
export type { FormattableTest } from './format-nl';
export {
  roundHalfUp,
  roundedPercent,
  formatNumberNl,
  formatPercentNl,
  formatPValue,
  formatChiSquare,
  roundShare,
  roundedPercentsAddUp,
  monteCarloInterval,
} from './format-nl';
export type { DifferenceInput } from './describe-difference';
export { NO_DIFFERENCE, NO_SINGLE_ANSWER, describeDifference } from './describe-difference';
