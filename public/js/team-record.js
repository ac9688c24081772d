/* The shared record of a team wave: the instrument on one page, filled with the record as
 * it is now, and a button that saves it. A save names the revision it started from; when
 * somebody else saved in between, the server refuses (409) and sends the record as it now
 * is, which this page then shows with a message, so that nobody overwrites another. */
(function () {
  'use strict';
  var settings = document.getElementById('spiegel-record');
  if (!settings) return;
  var config = JSON.parse(settings.textContent);
  var text = config.text;
  var revision = config.record.revision;

  var dutch = Survey.surveyLocalization.locales.nl;
  Object.keys(config.localeStrings || {}).forEach(function (key) { dutch[key] = config.localeStrings[key]; });

  var model = new Survey.Model(config.definition);
  model.locale = 'nl';
  model.applyTheme(calmTheme(SurveyTheme.DefaultLight));
  model.questionsOnPageMode = 'singlePage';
  model.showNavigationButtons = false;
  model.showCompletedPage = false;
  model.checkErrorsMode = 'onComplete';
  if (config.readOnly) model.mode = 'display';
  model.data = config.record.data;
  model.render(document.getElementById('record'));

  var message = document.getElementById('record-message');
  var revisionLabel = document.getElementById('record-revision');
  var button = document.getElementById('record-save');
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : all; });
  }
  function say(kind, line) {
    message.hidden = false;
    message.className = 'notice ' + kind;
    message.textContent = line;
  }
  function setRevision(value) {
    revision = value;
    if (revisionLabel) revisionLabel.textContent = fill(text.revisionNow, { revision: value });
  }
  if (!button) return;

  var busy = false;
  button.addEventListener('click', function () {
    if (busy) return;
    if (model.hasErrors(true, true)) return;
    busy = true;
    say('', text.saving);
    var headers = { 'Content-Type': 'application/json', 'Accept': 'application/json' };
    if (config.csrfToken) headers['X-CSRF-Token'] = config.csrfToken;
    fetch(config.saveUrl, {
      method: 'PUT', headers: headers, credentials: 'same-origin',
      body: JSON.stringify({ revision: revision, data: model.data }),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        busy = false;
        if (response.ok) { setRevision(body.revision); say('success', fill(text.saved, { revision: body.revision })); return; }
        if (response.status === 409 && body.record) {
          // Somebody saved first: show the record as it is now, never overwrite it.
          model.data = body.record.data;
          setRevision(body.record.revision);
          say('warning', text.conflict);
          return;
        }
        var detail = body.errors && body.errors[0] ? body.errors[0].message : (body.error && body.error.message) || '';
        say('warning', response.status === 422 ? fill(text.invalid, { message: detail }) : (detail || text.failed));
      });
    }).catch(function () { busy = false; say('warning', text.failed); });
  });

  // The theme both survey pages share (calm-theme.js): WCAG AA contrast.
  function calmTheme(base) { return window.SpiegelCalmTheme(base); }
})();
