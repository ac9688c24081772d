/* The respondent page: renders the instrument with SurveyJS, posts the answers with a
 * submission id that makes retries harmless, and offers a quick way out. It thanks her only
 * once the server has stored the answers. Nothing is kept on the device (no cookies, no
 * localStorage) unless she asks for it. */
(function () {
  'use strict';
  // The survey page carries its settings as JSON; a respondent's error page only has the way out.
  var settings = document.getElementById('spiegel-survey');
  var exitButton = document.getElementById('quick-exit');
  var config = settings ? JSON.parse(settings.textContent) : { quickExitUrl: exitButton.getAttribute('data-href') };
  var text = config.text;

  var model;
  var sent = false;      // the server has stored the answers (201, or 200 for a duplicate)
  var leaving = false;   // "Snel weg" was chosen: nothing may hold her back

  // Quick exit: go to a neutral site at once. The survey pages added history entries, so
  // first step back to the survey's first entry, then replace it: Back from the neutral
  // site then goes to whatever was open before the survey, never to a survey page.
  // Escape pressed twice within a second does the same.
  function leave() {
    if (leaving) return;
    leaving = true;
    document.title = '';
    document.body.innerHTML = '';
    var depth = currentDepth();
    if (depth <= 0) { window.location.replace(config.quickExitUrl); return; }
    var gone = false;
    function away() { if (gone) return; gone = true; window.location.replace(config.quickExitUrl); }
    window.addEventListener('popstate', away);
    // Should the browser not report the step back, leave anyway.
    window.setTimeout(away, 300);
    window.history.go(-depth);
  }
  exitButton.addEventListener('click', function (event) { event.preventDefault(); leave(); });
  var lastEscape = 0;
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    var now = Date.now();
    if (now - lastEscape < 1000) leave();
    lastEscape = now;
  });
  if (!settings) return;

  var dutch = Survey.surveyLocalization.locales.nl;
  Object.keys(config.localeStrings).forEach(function (key) { dutch[key] = config.localeStrings[key]; });
  // "Pagina 3", not "Pagina 3 van 8": the total jumps as routing reveals pages ("van 8" became
  // "van 10"), which reads as if the survey grew. The step dots, which count pages too, are hidden (respond.css).
  dutch.progressText = text.progress;
  // The language she chose (the server picked it from the instrument's languages).
  var locale = config.locale || 'nl';
  var strings = Survey.surveyLocalization.locales[locale];
  if (strings && locale !== 'nl') strings.progressText = text.progress;

  model = new Survey.Model(config.definition);
  model.locale = locale;
  model.applyTheme(calmTheme(SurveyTheme.DefaultLight));
  // SurveyJS's own completed page would thank her whatever the server said; our message does.
  model.showCompletedPage = false;

  var submissionId = newUuid();
  var state = document.getElementById('save-state');
  var message = document.getElementById('save-message');
  var retry = document.getElementById('save-retry');
  var SEND_TIMEOUT_MS = 30000;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : all; });
  }

  function show(kind, values, canRetry) {
    state.hidden = false;
    var good = kind === 'saving' || kind === 'saved' || kind === 'previewSaved';
    state.className = 'save-state ' + (kind === 'previewSaved' ? 'saved' : good ? kind : 'failed');
    var line = fill(text[kind], values || {});
    if (!good && keptOnDevice()) line += ' ' + text.keptOnDevice;
    message.textContent = line;
    retry.hidden = !canRetry;
  }

  var sending = false;
  function send() {
    if (sending || sent) return;
    sending = true;
    show('saving');
    var controller = typeof window.AbortController === 'function' ? new window.AbortController() : null;
    var timedOut = false;
    var timer = window.setTimeout(function () { timedOut = true; if (controller) controller.abort(); settle(); show('timeout', {}, true); }, SEND_TIMEOUT_MS);
    var settled = false;
    function settle() { if (settled) return false; settled = true; sending = false; window.clearTimeout(timer); return true; }
    // A respondent sends no cookie; the preview sends the staff session and its CSRF token.
    var headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (config.preview) headers['X-CSRF-Token'] = config.preview.csrfToken;
    fetch(config.submitUrl, {
      method: 'POST',
      headers: headers,
      body: JSON.stringify({ submissionId: submissionId, data: model.data }),
      credentials: config.preview ? 'same-origin' : 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
      signal: controller ? controller.signal : undefined,
    }).then(function (response) {
      return response.text().then(function (body) {
        var json = null;
        try { json = JSON.parse(body); } catch { /* not JSON: a proxy's page */ }
        if (timedOut || !settle()) return;
        answered(response, json);
      });
    }).catch(function () {
      if (timedOut || !settle()) return;
      show('offline', {}, true);
    });
  }

  function answered(response, json) {
    var status = response.status;
    var serverMessage = json && json.error && typeof json.error.message === 'string' ? json.error.message : '';
    if (status === 201 || status === 200) {
      sent = true;
      forget();
      keep.parentNode.parentNode.hidden = true;
      model.doComplete();
      show(config.preview ? 'previewSaved' : 'saved');
      showSupport();
      return;
    }
    if (status === 410) { show('gone', { message: serverMessage || text.closed }, false); return; }
    if (status === 422 && json && Array.isArray(json.errors) && json.errors.length) {
      var first = json.errors[0];
      var question = first.question ? model.getQuestionByName(String(first.question)) : null;
      show('invalid', { question: question ? question.title : String(first.question || ''), message: String(first.message || serverMessage) }, false);
      if (question) {
        programmatic = true;
        model.focusQuestion(question.name);
        programmatic = false;
      }
      return;
    }
    if (status === 429 || status === 503) {
      var seconds = parseInt(response.headers.get('Retry-After') || '', 10);
      show('busy', { seconds: String(seconds > 0 ? seconds : 30) }, true);
      return;
    }
    show('failed', {}, true);
  }

  retry.addEventListener('click', send);

  // Nothing is kept on the device unless the respondent asks for it; then it stays until
  // the server has confirmed that it stored the answers.
  var keep = document.getElementById('keep-answers');
  var storageKey = 'spiegel:' + config.submitUrl;
  var storedOk = false;
  function keptOnDevice() { return keep.checked && storedOk; }
  function forget() { storedOk = false; try { window.localStorage.removeItem(storageKey); } catch { /* storage may be blocked */ } }
  function remember() {
    if (!keep.checked || sent) return;
    try { window.localStorage.setItem(storageKey, JSON.stringify({ data: model.data, page: model.currentPageNo })); storedOk = true; } catch { storedOk = false; }
  }
  try {
    var saved = JSON.parse(window.localStorage.getItem(storageKey) || 'null');
    if (saved && saved.data) {
      keep.checked = true;
      storedOk = true;
      model.data = saved.data;
      if (typeof saved.page === 'number') model.currentPageNo = saved.page;
    }
  } catch { /* storage may be blocked */ }
  keep.addEventListener('change', function () { if (keep.checked) remember(); else forget(); });
  model.onValueChanged.add(remember);
  model.onCurrentPageChanged.add(remember);

  // Survey pages are browser history entries: Back (or Android's back gesture) goes to the
  // previous survey page and Forward returns, with every answer kept in the page. An entry
  // holds only its depth and the page's name, never an answer.
  var programmatic = false;  // a page change made by this script, not by the respondent
  var fromHistory = false;   // a page change that follows Back or Forward
  function currentDepth() {
    var s = window.history.state;
    return s && s.spiegel && typeof s.depth === 'number' ? s.depth : 0;
  }
  function pageByName(name) {
    var pages = model.visiblePages;
    for (var i = 0; i < pages.length; i++) if (pages[i].name === name) return pages[i];
    return null;
  }
  (function () {
    var s = window.history.state;
    // After a reload the entry still names its page; go there only when the answers that led there were kept.
    if (s && s.spiegel && storedOk && typeof s.page === 'string' && pageByName(s.page)) model.currentPage = pageByName(s.page);
    window.history.replaceState({ spiegel: true, depth: currentDepth(), page: model.currentPage ? model.currentPage.name : null, previous: s && s.spiegel ? s.previous : null }, '');
  })();
  model.onCurrentPageChanging.add(function (sender, options) {
    if (fromHistory || programmatic || leaving) return;
    // "Vorige" is the same step as Back, so that the history mirrors the way she came.
    var s = window.history.state;
    if (options.isGoingBackward && s && s.spiegel && s.depth > 0 && options.newCurrentPage && s.previous === options.newCurrentPage.name) {
      options.allow = false;
      window.history.back();
    }
  });
  model.onCurrentPageChanged.add(function (sender) {
    if (fromHistory || leaving || !sender.currentPage) return;
    var s = window.history.state || {};
    window.history.pushState({ spiegel: true, depth: (s.spiegel ? s.depth : 0) + 1, page: sender.currentPage.name, previous: s.page || null }, '');
  });
  window.addEventListener('popstate', function (event) {
    if (leaving || sent) return;
    var s = event.state;
    var target = s && s.spiegel && typeof s.page === 'string' ? pageByName(s.page) : null;
    if (!target) return;
    fromHistory = true;
    try { model.currentPage = target; } finally { fromHistory = false; }
    showSupport();
  });

  // Leaving with answers that are neither sent nor kept on the device asks first. "Snel weg" never does.
  window.addEventListener('beforeunload', function (event) {
    if (leaving || sent || keptOnDevice()) return;
    if (Object.keys(model.data).length === 0) return;
    event.preventDefault();
    event.returnValue = '';
  });

  // Support information on the first and the last page, and after sending.
  var support = document.getElementById('support');
  var modeNote = document.getElementById('mode-note');
  function showSupport() {
    support.hidden = !(model.isFirstPage || model.isLastPage || model.state === 'completed');
    // What the wave's mode means for her: before the first question, where she decides to take part.
    modeNote.hidden = !(model.isFirstPage && model.state !== 'completed');
  }
  model.onCurrentPageChanged.add(showSupport);

  // "Verzenden" sends first; the survey completes only once the server has stored the answers.
  model.onCompleting.add(function (sender, options) {
    if (sent) return;
    options.allow = false;
    // What completing would have dropped (answers to questions that routing has since hidden) is not sent.
    sender.clearUnusedValues();
    remember();
    send();
  });
  model.render(document.getElementById('survey'));
  showSupport();

  // The theme both survey pages share (calm-theme.js): WCAG AA contrast.
  function calmTheme(base) { return window.SpiegelCalmTheme(base); }

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
