/* Touchstone: behaviour shared by every staff page. No inline script anywhere, so a
   strict content security policy holds. */
(function () {
  "use strict";

  // A rejected edit (400) comes back with its errors next to the fields: show it.
  // Other errors are not swapped in; they are reported in a status line instead.
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "400", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
  ];

  // Department colours come as data attributes: inline styles would need 'unsafe-inline'.
  function paint(root) {
    root.querySelectorAll("[data-colour]").forEach(function (el) {
      el.style.setProperty("--dept", el.dataset.colour);
    });
  }

  function status(text) {
    var line = document.getElementById("status-line");
    if (!line) {
      line = document.createElement("p");
      line.id = "status-line";
      line.className = "status-line";
      line.setAttribute("role", "alert");
      document.body.appendChild(line);
    }
    line.textContent = text;
    line.hidden = false;
    window.setTimeout(function () { line.hidden = true; }, 6000);
  }

  htmx.onLoad(paint);

  document.body.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var reason = xhr.status === 403 ? "You may not change this map."
      : xhr.status === 404 ? "It no longer exists; reload the page."
      : "The change was not saved (" + xhr.status + "). Please try again.";
    status(reason);
  });
  document.body.addEventListener("htmx:sendError", function () {
    status("The server cannot be reached; the change was not saved.");
  });

  // The card panel closes without leaving the board.
  document.body.addEventListener("click", function (event) {
    var close = event.target.closest("[data-close-panel]");
    var panel = document.getElementById("panel");
    if (close && panel && panel.contains(close)) {
      event.preventDefault();
      panel.innerHTML = "";
    }
  });
})();
