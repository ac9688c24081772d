// The SurveyJS default theme with a darker green and darker secondary text, so that every
// text meets the WCAG AA contrast ratio (the stock colours do not). Shared by the respondent
// page (respond.js) and the team record (team-record.js).
(function () {
  'use strict';
  window.SpiegelCalmTheme = function calmTheme(base) {
    var variables = {};
    Object.keys(base.cssVariables).forEach(function (key) { variables[key] = base.cssVariables[key]; });
    variables['--sjs-primary-backcolor'] = 'rgba(21, 101, 84, 1)';
    variables['--sjs-primary-backcolor-dark'] = 'rgba(15, 80, 66, 1)';
    variables['--sjs-primary-backcolor-light'] = 'rgba(21, 101, 84, 0.1)';
    variables['--sjs-general-forecolor-light'] = 'rgba(0, 0, 0, 0.64)';
    variables['--sjs-general-dim-forecolor-light'] = 'rgba(0, 0, 0, 0.64)';
    variables['--sjs-special-red'] = 'rgba(179, 38, 30, 1)';
    var theme = {};
    Object.keys(base).forEach(function (key) { theme[key] = base[key]; });
    theme.cssVariables = variables;
    return theme;
  };
})();
