/**
 * The page's stylesheet and script, served from memory (no build step, no CDN). The script only
 * refreshes `#live` in place and shows the data's age; without it the page still works (a
 * `<noscript>` refresh, plain links and forms).
 */
export const OVERVIEW_CSS = `
:root{--fg:#111;--bg:#fff;--muted:#555;--line:#ccc;--bad:#a00000;--bad-bg:#fde8e8;--done:#0a6b2a;--busy:#7a4a00;--wait:#334;--focus:#1a55d6}
*{box-sizing:border-box}
body{margin:0;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
header{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem 2rem;padding:.5rem 1rem;border-bottom:2px solid var(--line);background:#f4f5f7}
nav{display:flex;gap:1.25rem;align-items:center}
main{padding:.75rem 1rem 2rem}
a{color:#0b4bb3}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,#live:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.sr{position:absolute;left:-9999px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.25rem .5rem;z-index:2}
h1{font-size:1.35rem;margin:.25rem 0 .75rem}h2{font-size:1.1rem;margin:1.25rem 0 .5rem}
.age{margin:0;color:var(--muted)}.age.stale{color:var(--bad);font-weight:700}
button,.button{font:inherit;padding:.3rem .7rem;border:1px solid #888;border-radius:4px;background:#fff;color:var(--fg);cursor:pointer;text-decoration:none;display:inline-block}
a.small-button{font-size:.85em;padding:.05rem .4rem;margin-left:.25rem}
button.danger,.button.danger{border-color:var(--bad);color:var(--bad)}
button.primary,.button.primary{background:#0b4bb3;border-color:#0b4bb3;color:#fff}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;margin:.5rem 0 1rem}
form.filters .field{display:flex;flex-direction:column}form.filters label{font-size:.85rem;color:var(--muted)}
form.filters input,form.filters select{font:inherit;padding:.3rem .4rem;min-width:10rem}
.counts{display:flex;flex-wrap:wrap;gap:.5rem 2rem;margin:.25rem 0 .75rem}
.counts table{border-collapse:collapse}
.counts th,.counts td{padding:.15rem .5rem;text-align:left;white-space:nowrap}
.counts a.current{font-weight:700}
table.tickets{border-collapse:collapse;width:100%;table-layout:fixed}
table.tickets th,table.tickets td{border-bottom:1px solid var(--line);padding:.3rem .4rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
col.c-id{width:14.5%}col.c-entity{width:13.5%}col.c-alarm{width:8%}col.c-sev{width:7%}col.c-changed{width:6.5%}col.c-state{width:11.5%}col.c-ids{width:14%}
table.tickets tbody th{font-weight:500;white-space:nowrap}
table.tickets thead th{background:#eef0f3;position:sticky;top:0}
table.tickets th.group{text-align:center;border-left:2px solid var(--line)}
table.tickets td.first{border-left:2px solid var(--line)}
.small{font-size:.85em;color:var(--muted)}
.errline{color:var(--bad);font-size:.9em;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}
tr.has-error td:first-child{box-shadow:inset 5px 0 0 var(--bad)}
tr.has-error{background:var(--bad-bg)}
.state{white-space:nowrap;font-weight:600}
.tone-bad{color:var(--bad)}.tone-done{color:var(--done)}.tone-busy{color:var(--busy)}.tone-wait{color:var(--wait)}.tone-none{color:var(--muted);font-weight:400}
.sev-critical{font-weight:700;color:var(--bad)}.sev-major{font-weight:600}
.muted{color:var(--muted)}
.notice{padding:.5rem .75rem;border:2px solid var(--done);background:#e8f6ec;margin:.5rem 0}
.notice.failed{border-color:var(--bad);background:var(--bad-bg)}
.pager{display:flex;gap:1rem;margin:.75rem 0}
.platforms{display:grid;grid-template-columns:repeat(auto-fit,minmax(36rem,1fr));gap:1rem}
section.platform{border:1px solid var(--line);border-radius:6px;padding:.5rem 1rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.5rem 0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;word-break:break-word}
table.history{border-collapse:collapse;width:100%}
table.history th,table.history td{border-bottom:1px solid var(--line);padding:.2rem .4rem;text-align:left;vertical-align:top}
table.history td.detail{word-break:break-word}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0}
@media (max-width:1400px){body{font-size:14px}table.tickets th,table.tickets td{padding:.25rem .3rem}}
`;

export const OVERVIEW_JS = `'use strict';
(function () {
  var EVERY_MS = 5000;
  // Right after an action the operator waits for its outcome: look every second for a while.
  var FAST_MS = 1000;
  var fastUntil = /[?&]done=/.test(location.search) ? Date.now() + 15000 : 0;
  var age = document.getElementById('age');
  var ageText = document.getElementById('age-text');
  var pause = document.getElementById('pause');
  var paused = false;
  var failure = '';

  function readAt() {
    var live = document.getElementById('live');
    return Date.parse(live ? live.getAttribute('data-read-at') : '');
  }

  function showAge() {
    if (!age || !ageText) return;
    var at = readAt();
    var seconds = Math.max(0, Math.round((Date.now() - at) / 1000));
    var stale = seconds > 3 * EVERY_MS / 1000;
    var text = 'Data read at ' + new Date(at).toISOString().slice(11, 19) + ' UTC, ' + seconds + ' s ago';
    text += paused ? '; refresh paused' : '; refreshes every ' + EVERY_MS / 1000 + ' s';
    if (failure) text += ' (last refresh failed: ' + failure + ')';
    ageText.textContent = text;
    age.classList.toggle('stale', stale || failure !== '');
  }

  // Keeps the keyboard where it was: the focused link or button is found again by its address.
  function focusKey(element) {
    if (!element || !element.closest || !element.closest('#live')) return null;
    return element.getAttribute('href') || element.id || null;
  }

  var inFlight = false;

  function refresh() {
    if (paused || document.hidden || inFlight) return;
    inFlight = true;
    var key = focusKey(document.activeElement);
    fetch(location.href, { credentials: 'same-origin', headers: { accept: 'text/html' } })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.text();
      })
      .then(function (text) {
        var next = new DOMParser().parseFromString(text, 'text/html').getElementById('live');
        var live = document.getElementById('live');
        if (!next || !live) throw new Error('no data in the answer (logged out?)');
        live.replaceWith(next);
        failure = '';
        if (key) {
          var again = Array.prototype.find.call(next.querySelectorAll('a,button'), function (element) {
            return element.getAttribute('href') === key || element.id === key;
          });
          if (again) again.focus();
        }
        showAge();
      })
      .catch(function (error) {
        failure = error.message;
        showAge();
      })
      .finally(function () {
        inFlight = false;
      });
  }

  if (pause) {
    pause.addEventListener('click', function () {
      paused = !paused;
      pause.setAttribute('aria-pressed', String(paused));
      pause.textContent = paused ? 'Resume refresh' : 'Pause refresh';
      if (!paused) refresh();
      showAge();
    });
  }
  function schedule() {
    setTimeout(function () {
      refresh();
      schedule();
    }, Date.now() < fastUntil ? FAST_MS : EVERY_MS);
  }
  showAge();
  setInterval(showAge, 1000);
  schedule();
})();
`;
