// Inside the widget's frame: tell the page around it how tall the survey is, and nothing
// else, so the frame fits without a scroll bar of its own.
(function () {
  "use strict";
  if (window.parent === window) return;
  function tell() {
    window.parent.postMessage({ touchstoneHeight: document.documentElement.scrollHeight }, "*");
  }
  window.addEventListener("load", tell);
  window.addEventListener("resize", tell);
  document.addEventListener("change", function () { setTimeout(tell, 0); });
})();
