/* The survey designer: each question shows the parts its kind uses (a rating its points
   and labels, a choice its options). Without script every part shows and the server
   ignores what does not apply. */
(function () {
  "use strict";

  function fit(question) {
    var kind = question.querySelector("select[name$='-kind']").value;
    question.querySelectorAll("[data-for]").forEach(function (part) {
      part.hidden = part.dataset.for.split(" ").indexOf(kind) === -1;
    });
  }

  document.querySelectorAll("[data-question]").forEach(function (question) {
    fit(question);
    question.querySelector("select[name$='-kind']").addEventListener("change", function () {
      fit(question);
    });
  });
})();
