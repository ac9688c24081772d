import crypto from 'node:crypto';
import { z } from 'zod';
import type { Store } from '../store';
import type { InstrumentCatalogue } from '../instruments/catalogue';
import type { WaveService } from '../waves/service';
import { invalid } from '../http/errors';
import { dayInNetherlands } from '../util/dates';
import { validateResponse } from './validate-response';
import { toAnswerRows } from './long-format';

export const submissionSchema = z.object({
  submissionId: z.string().uuid(),
  data: z.record(z.unknown()),
}).strict();

export function createResponseService(store: Store, waves: WaveService, instruments: InstrumentCatalogue) {
  return {
    async submit(token: string, submission: z.infer<typeof submissionSchema>): Promise<'stored' | 'duplicate'> {
      const wave = await waves.openWaveForToken(token);
      // A retry of a stored submission is answered before any validation work.
      if (await store.repos.responses.exists(wave.id, submission.submissionId)) return 'duplicate';
      const instrument = await instruments.byVersionId(wave.instrumentVersionId);
      if (!instrument) throw new Error(`Instrument version ${wave.instrumentVersionId} of wave ${wave.id} is missing`);
      const outcome = validateResponse(instrument.definition, submission.data);
      if (!outcome.ok) throw invalid(outcome.errors);
      return store.repos.responses.insert({
        id: crypto.randomUUID(),
        waveId: wave.id,
        submissionId: submission.submissionId,
        submittedOn: dayInNetherlands(),
        data: outcome.data,
        answers: toAnswerRows(outcome.data, outcome.types),
      });
    },
  };
}

export type ResponseService = ReturnType<typeof createResponseService>;
