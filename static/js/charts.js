/* Draw every Plotly figure on the page from the JSON embedded next to it (json_script):
   no inline script, and the PNG button is Plotly's own. */
(function () {
  "use strict";
  document.querySelectorAll("[data-figure]").forEach(function (element) {
    var source = document.getElementById(element.dataset.figure);
    if (!source) return;
    var figure = JSON.parse(source.textContent);
    Plotly.newPlot(element, figure.data, figure.layout, {
      responsive: true,
      displaylogo: false,
      toImageButtonOptions: { filename: element.dataset.filename || "touchstone", scale: 2 },
    });
  });
})();
