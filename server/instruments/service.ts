// Publishing an instrument without a restart: a SurveyJS definition (as SurveyJS Creator
// saves it) or Spiegel's {key, title, meta, definition}, checked by the same rules as the
// files in surveys/, every problem listed at once. Admins publish for all organisations (or
// for one, ?organisationId=), managers for their own; another organisation's key is refused
// without saying whose it is.
import type { InstrumentCatalogue } from './catalogue';
import type { InstrumentVersion } from './repository';
import { InstrumentFileError, InstrumentProblem, parseInstrument } from './instrument-file';
import { assertCan } from '../auth/policy';
import { CurrentUser, organisationOf, scopeOf } from '../auth/scope';
import { AppError, notFound } from '../http/errors';
import { t } from '../i18n/messages';
import type { Store } from '../store';

export interface InstrumentSummary { key: string; version: number; title: string; hash: string }

/** 422 with the instrument's problems as {path, rule, message}. */
export function instrumentInvalid(problems: InstrumentProblem[]): AppError {
  return new AppError(422, 'invalid', t('instruments.invalid', { count: problems.length }),
    problems.map((p) => ({ path: p.path, rule: p.rule, message: p.message })));
}

export function createInstrumentService(store: Store, catalogue: InstrumentCatalogue) {
  /** Checks a definition as an upload would be, and stores nothing. */
  function check(body: unknown, name = 'upload.json', key?: string) {
    try {
      return parseInstrument(name, JSON.stringify(body), { key });
    } catch (err) {
      if (err instanceof InstrumentFileError) throw instrumentInvalid(err.details);
      throw err;
    }
  }

  return {
    check,

    async publish(actor: CurrentUser, body: unknown, { organisationId, key }: { organisationId?: string; key?: string } = {}): Promise<InstrumentVersion> {
      assertCan(actor, 'instrument.publish');
      // An admin publishes for everyone unless naming one organisation; a manager for the own one only.
      const owner = actor.role === 'admin' ? (organisationId ?? null) : organisationOf(actor);
      if (organisationId !== undefined && organisationId !== actor.organisationId && actor.role !== 'admin') throw notFound();
      if (owner !== null && !(await store.repos.organisations.findById(scopeOf(actor), owner))) throw notFound();
      const file = check(body, 'upload.json', key);
      // A file in surveys/ is the one source of its key's versions: an upload would never be offered.
      if (catalogue.isFileKey(file.key)) {
        throw instrumentInvalid([{ path: 'upload.json', rule: 'key', message: t('instruments.fileKey', { key: file.key }) }]);
      }
      const current = await catalogue.ownerOfKey(file.key);
      if (current !== undefined && current !== owner) {
        throw instrumentInvalid([{ path: 'upload.json', rule: 'key', message: t('instruments.keyTaken', { key: file.key }) }]);
      }
      return catalogue.publish(file, owner);
    },
  };
}

export type InstrumentService = ReturnType<typeof createInstrumentService>;

export const summaryOf = ({ key, version, title, hash }: InstrumentVersion): InstrumentSummary => ({ key, version, title, hash });
