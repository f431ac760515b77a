// A kiosk serves one person after another: a page left untouched for a minute starts
// afresh, so nobody finds the last person's half-given answer.
(function () {
  "use strict";
  var form = document.querySelector("form[data-reset-after]");
  if (!form) return;
  var wait = parseInt(form.dataset.resetAfter, 10) * 1000;
  var timer;
  function restart() {
    clearTimeout(timer);
    timer = setTimeout(function () { window.location.replace(window.location.pathname); }, wait);
  }
  ["input", "change", "pointerdown", "keydown"].forEach(function (name) {
    document.addEventListener(name, restart, true);
  });
  restart();
})();
