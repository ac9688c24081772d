/* The respondent page: renders the instrument with SurveyJS, posts the answers with a
 * submission id that makes retries harmless, and offers a quick way out.
 * Nothing is kept on the device: no cookies, no localStorage. */
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('spiegel-survey').textContent);
  var text = config.text;

  // Quick exit: replace this page in the history (so Back does not return to it) and go
  // to a neutral site. Escape pressed twice within a second does the same.
  function leave() {
    document.title = '';
    document.body.innerHTML = '';
    window.location.replace(config.quickExitUrl);
  }
  document.getElementById('quick-exit').addEventListener('click', leave);
  var lastEscape = 0;
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    var now = Date.now();
    if (now - lastEscape < 1000) leave();
    lastEscape = now;
  });

  var dutch = Survey.surveyLocalization.locales.nl;
  Object.keys(config.localeStrings).forEach(function (key) { dutch[key] = config.localeStrings[key]; });

  var model = new Survey.Model(config.definition);
  model.locale = 'nl';
  model.applyTheme(calmTheme(SurveyTheme.DefaultLight));

  var submissionId = newUuid();
  var lastData = null;
  var state = document.getElementById('save-state');
  var message = document.getElementById('save-message');
  var retry = document.getElementById('save-retry');

  function show(kind) {
    state.hidden = false;
    state.className = 'save-state ' + kind;
    message.textContent = text[kind];
    retry.hidden = kind !== 'failed';
  }

  function send() {
    show('saving');
    fetch(config.submitUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ submissionId: submissionId, data: lastData }),
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    }).then(function (response) {
      show(response.status === 201 || response.status === 200 ? 'saved' : 'failed');
    }, function () {
      show('failed');
    });
  }

  retry.addEventListener('click', send);

  // Nothing is kept on the device unless the respondent asks for it.
  var keep = document.getElementById('keep-answers');
  var storageKey = 'spiegel:' + config.submitUrl;
  function forget() { try { window.localStorage.removeItem(storageKey); } catch { /* storage may be blocked */ } }
  function remember() {
    if (!keep.checked) return;
    try { window.localStorage.setItem(storageKey, JSON.stringify({ data: model.data, page: model.currentPageNo })); } catch { /* storage may be blocked */ }
  }
  try {
    var saved = JSON.parse(window.localStorage.getItem(storageKey) || 'null');
    if (saved && saved.data) {
      keep.checked = true;
      model.data = saved.data;
      if (typeof saved.page === 'number') model.currentPageNo = saved.page;
    }
  } catch { /* storage may be blocked */ }
  keep.addEventListener('change', function () { if (keep.checked) remember(); else forget(); });
  model.onValueChanged.add(remember);
  model.onCurrentPageChanged.add(remember);

  // Support information on the first and the last page, and after sending.
  var support = document.getElementById('support');
  function showSupport() { support.hidden = !(model.isFirstPage || model.isLastPage || model.state === 'completed'); }
  model.onCurrentPageChanged.add(showSupport);

  model.onComplete.add(function (sender) {
    lastData = sender.data;
    forget();
    keep.parentNode.parentNode.hidden = true;
    showSupport();
    send();
  });
  model.render(document.getElementById('survey'));
  showSupport();

  // The default theme with a darker green and darker secondary text, so that every text
  // meets the WCAG AA contrast ratio (the stock colours do not).
  function calmTheme(base) {
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
  }

  // crypto.randomUUID exists only in secure contexts; a shelter's LAN address may be plain http.
  function newUuid() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join('');
    return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20);
  }
})();
