/* Touchstone's survey widget for a company's own website. Place
     <div data-touchstone-widget="https://touchstone.example/t/TOKEN/widget"></div>
     <script src="https://touchstone.example/static/widget/touchstone-widget.js" defer></script>
   and allow that origin in your site's CSP (script-src and frame-src). The survey runs in
   a frame of its own origin: it sets no cookie, reads nothing of your page, and tells it
   only its height, so the frame fits its questions. */
(function () {
  "use strict";
  var frames = [];
  document.querySelectorAll("[data-touchstone-widget]").forEach(function (holder) {
    var source = holder.getAttribute("data-touchstone-widget");
    var frame = document.createElement("iframe");
    frame.src = source;
    frame.title = holder.getAttribute("data-title") || "Survey";
    frame.loading = "lazy";
    frame.referrerPolicy = "no-referrer";
    frame.style.width = "100%";
    frame.style.maxWidth = "36rem";
    frame.style.height = (holder.getAttribute("data-height") || "640") + "px";
    frame.style.border = "0";
    holder.appendChild(frame);
    frames.push({ frame: frame, origin: new URL(source, window.location.href).origin });
  });
  window.addEventListener("message", function (event) {
    frames.forEach(function (entry) {
      if (event.origin !== entry.origin || event.source !== entry.frame.contentWindow) return;
      var height = event.data && event.data.touchstoneHeight;
      if (typeof height === "number" && height > 0 && height < 10000) {
        entry.frame.style.height = Math.ceil(height) + "px";
      }
    });
  });
})();
