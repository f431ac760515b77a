/* The map board: drag cards within or across stages, drag stages to reorder them.
   Every drop is one POST (the same endpoint the move buttons use); the server answers
   with the redrawn board, so what is shown is always what was stored. */
(function () {
  "use strict";

  function post(url, values) {
    htmx.ajax("POST", url, { target: "#board", swap: "outerHTML", values: values });
  }

  function sortable(root) {
    root.querySelectorAll("ol.cards").forEach(function (list) {
      Sortable.create(list, {
        group: "cards",
        animation: 150,
        // Mouse and touch events rather than native drag and drop: the same on tablets.
        forceFallback: true,
        filter: "button, a, input, select, textarea",
        preventOnFilter: false,
        ghostClass: "dragging",
        onEnd: function (event) {
          if (event.from === event.to && event.oldIndex === event.newIndex) return;
          post(event.item.dataset.moveUrl, { stage: event.to.dataset.stage, index: event.newIndex });
        },
      });
    });
    root.querySelectorAll("[data-stages]").forEach(function (row) {
      Sortable.create(row, {
        handle: ".handle",
        draggable: ".stage[data-stage]",
        animation: 150,
        forceFallback: true,
        ghostClass: "dragging",
        onEnd: function (event) {
          if (event.oldDraggableIndex === event.newDraggableIndex) return;
          post(event.item.dataset.moveUrl, { index: event.newDraggableIndex });
        },
      });
    });
  }

  htmx.onLoad(function (root) {
    if (root.querySelector) sortable(root);
  });
})();
