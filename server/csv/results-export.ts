// The results and comparisons of the dashboards as CSV files. The numbers come from the
// results service, with its rules (scope, filters, groups below the minimum suppressed).
import { z } from 'zod';
import type { CurrentUser } from '../auth/scope';
import type { ResultsService } from '../results/service';
import { compareQuerySchema, resultsQuerySchema, waveCompareQuerySchema } from '../results/service';
import { BOM, Delimiter, unparseRows } from './csv-text';
import { compareRows, frequencyRows } from './results-csv';

const sep = z.enum([',', ';']).default(',');
export const resultsCsvQuerySchema = resultsQuerySchema.extend({ sep });
export const compareCsvQuerySchema = compareQuerySchema.extend({ sep });
export const waveCompareCsvQuerySchema = waveCompareQuerySchema.extend({ sep });

/** Semicolons are for Dutch Excel, which also expects decimal commas. */
const csvText = (rows: Array<Array<string | number>>, delimiter: Delimiter) =>
  BOM + unparseRows(rows, delimiter);
const decimalFor = (delimiter: Delimiter) => (delimiter === ';' ? ',' : '.');

export function createResultsExport(results: ResultsService) {
  return {
    async frequencies(actor: CurrentUser, waveId: string, query: z.infer<typeof resultsCsvQuerySchema>) {
      const delimiter = query.sep as Delimiter;
      const result = await results.results(actor, waveId, query.filter);
      return { fileName: 'resultaten.csv', text: csvText(frequencyRows(result.questions, decimalFor(delimiter)), delimiter) };
    },

    async compare(actor: CurrentUser, waveId: string, query: z.infer<typeof compareCsvQuerySchema>) {
      const delimiter = query.sep as Delimiter;
      const result = await results.compare(actor, waveId, query.by, query.filter, [], { adjust: query.adjust });
      return { fileName: `vergelijking-${query.by.replace(/[^\w.-]/g, '_')}.csv`, text: csvText(compareRows(result.items, decimalFor(delimiter)), delimiter) };
    },

    async compareWaves(actor: CurrentUser, query: z.infer<typeof waveCompareCsvQuerySchema>) {
      const delimiter = query.sep as Delimiter;
      const result = await results.compareWaves(actor, query.waves, query.filter, { adjust: query.adjust });
      return { fileName: 'vergelijking-metingen.csv', text: csvText(compareRows(result.items, decimalFor(delimiter)), delimiter) };
    },
  };
}

export type ResultsExport = ReturnType<typeof createResultsExport>;
