// The files Spiegel serves to browsers, by logical name. Vendor files come from
// node_modules so that the exact pinned versions are served, never a CDN.
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const modules = (p: string) => path.join(REPO_ROOT, 'node_modules', p);
const own = (p: string) => path.join(REPO_ROOT, 'public', p);

export const ASSETS: Record<string, string> = {
  'survey-core.js': modules('survey-core/survey.core.min.js'),
  'survey-core-dutch.js': modules('survey-core/i18n/dutch.min.js'),
  'survey-js-ui.js': modules('survey-js-ui/survey-js-ui.min.js'),
  // The "fontless" stylesheet: the default one loads Open Sans from Google's servers.
  'survey-core.css': modules('survey-core/survey-core.fontless.min.css'),
  'survey-theme.js': modules('survey-core/themes/default-light.min.js'),
  'chart.js': modules('chart.js/dist/chart.umd.min.js'),
  'calm-theme.js': own('js/calm-theme.js'),
  'respond.js': own('js/respond.js'),
  'dashboard.js': own('js/dashboard.js'),
  'team-record.js': own('js/team-record.js'),
  'respond.css': own('css/respond.css'),
  'app.css': own('css/app.css'),
};

export const BUILD_DIR = path.join(REPO_ROOT, 'dist', 'public');
export const MANIFEST = path.join(BUILD_DIR, 'manifest.json');
