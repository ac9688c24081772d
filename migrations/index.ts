// The migrations in the order they run. A migration is never edited after it lands:
// add a new file and append it here. Listing them explicitly (instead of scanning a
// folder) makes the compiled and the source tree behave the same.
import type { Knex } from 'knex';
import * as createOrganisations from './20261122120000_create_organisations';
import * as createUsers from './20261122120100_create_users';
import * as createInstrumentVersions from './20261122120200_create_instrument_versions';
import * as createWaves from './20261122120300_create_waves';
import * as createResponses from './20261122120400_create_responses';
import * as createAnswers from './20261122120500_create_answers';
import * as createInvitations from './20261122130000_create_invitations';
import * as addInvitationToResponses from './20261122130100_add_invitation_to_responses';
import * as createContactRequests from './20261122130200_create_contact_requests';
import * as addSupportTextToWaves from './20261122130300_add_support_text_to_waves';
import * as createAnswerTallies from './20261123090000_create_answer_tallies';
import * as coverAnswersForResults from './20261123090100_cover_answers_for_results';
import * as tallyPairsOfGroupingQuestions from './20261123090200_tally_pairs_of_grouping_questions';
import * as createTallyQueue from './20261123090300_create_tally_queue';
import * as createCsvImports from './20261123100000_create_csv_imports';
import * as createCsvUploads from './20261123100100_create_csv_uploads';
import * as reachAnswersThroughResponses from './20261123110000_reach_answers_through_responses';
import * as createHealthProbe from './20261130120000_create_health_probe';
import * as createRateLimitHits from './20261130180000_create_rate_limit_hits';
import * as recordWhenResultsWereFirstShown from './20261130190000_record_when_results_were_first_shown';
import * as createPendingResponses from './20261130200000_create_pending_responses';
import * as retiredLinksAndVoidResponses from './20261130201500_retired_links_and_void_responses';
import * as createFullExports from './20261130201700_create_full_exports';
import * as createTeamRecordRevisions from './20261201020000_create_team_record_revisions';
import * as panelKeys from './20261201040000_panel_keys';
import * as instrumentsOfOneOrganisation from './20261201050000_instruments_of_one_organisation';
import * as keepTheMappingOfAnUpload from './20261201060000_keep_the_mapping_of_an_upload';
import * as createWorkshops from './20261201070000_create_workshops';
import * as createNetworks from './20261201070100_create_networks';
import * as addKindToOrganisations from './20261201070200_add_kind_to_organisations';
import * as numberSealedBatches from './20261201080000_number_sealed_batches';
import * as networkAccountsBelongToANetwork from './20261202030000_network_accounts_belong_to_a_network';
import * as workshopShownParticipants from './20261202040000_workshop_shown_participants';
import * as copyWithoutBatchOrder from './20261202060000_copy_without_batch_order';
import * as responsesByWaveAndId from './20261202060100_responses_by_wave_and_id';
import * as holdTheLastSealedBatch from './20261202080000_hold_the_last_sealed_batch';
import * as createInstrumentDrafts from './20261203030000_create_instrument_drafts';
import * as countOldMultipleTextNumbers from './20261203040000_count_old_multiple_text_numbers';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const migrations: Array<[string, Migration]> = [
  ['20261122120000_create_organisations', createOrganisations],
  ['20261122120100_create_users', createUsers],
  ['20261122120200_create_instrument_versions', createInstrumentVersions],
  ['20261122120300_create_waves', createWaves],
  ['20261122120400_create_responses', createResponses],
  ['20261122120500_create_answers', createAnswers],
  ['20261122130000_create_invitations', createInvitations],
  ['20261122130100_add_invitation_to_responses', addInvitationToResponses],
  ['20261122130200_create_contact_requests', createContactRequests],
  ['20261122130300_add_support_text_to_waves', addSupportTextToWaves],
  ['20261123090000_create_answer_tallies', createAnswerTallies],
  ['20261123090100_cover_answers_for_results', coverAnswersForResults],
  ['20261123090200_tally_pairs_of_grouping_questions', tallyPairsOfGroupingQuestions],
  ['20261123090300_create_tally_queue', createTallyQueue],
  ['20261123100000_create_csv_imports', createCsvImports],
  ['20261123100100_create_csv_uploads', createCsvUploads],
  ['20261123110000_reach_answers_through_responses', reachAnswersThroughResponses],
  ['20261130120000_create_health_probe', createHealthProbe],
  ['20261130180000_create_rate_limit_hits', createRateLimitHits],
  ['20261130190000_record_when_results_were_first_shown', recordWhenResultsWereFirstShown],
  ['20261130200000_create_pending_responses', createPendingResponses],
  ['20261130201500_retired_links_and_void_responses', retiredLinksAndVoidResponses],
  ['20261130201700_create_full_exports', createFullExports],
  ['20261201020000_create_team_record_revisions', createTeamRecordRevisions],
  ['20261201040000_panel_keys', panelKeys],
  ['20261201050000_instruments_of_one_organisation', instrumentsOfOneOrganisation],
  ['20261201060000_keep_the_mapping_of_an_upload', keepTheMappingOfAnUpload],
  ['20261201070000_create_workshops', createWorkshops],
  ['20261201070100_create_networks', createNetworks],
  ['20261201070200_add_kind_to_organisations', addKindToOrganisations],
  ['20261201080000_number_sealed_batches', numberSealedBatches],
  ['20261202030000_network_accounts_belong_to_a_network', networkAccountsBelongToANetwork],
  ['20261202040000_workshop_shown_participants', workshopShownParticipants],
  ['20261202060000_copy_without_batch_order', copyWithoutBatchOrder],
  ['20261202060100_responses_by_wave_and_id', responsesByWaveAndId],
  ['20261202080000_hold_the_last_sealed_batch', holdTheLastSealedBatch],
  ['20261203030000_create_instrument_drafts', createInstrumentDrafts],
  ['20261203040000_count_old_multiple_text_numbers', countOldMultipleTextNumbers],
];

export const migrationSource: Knex.MigrationSource<[string, Migration]> = {
  getMigrations: async () => migrations,
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};
