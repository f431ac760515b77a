// A survey's branched questions: each is shown only while the earlier answer it depends
// on passes its test (the server applies the same test and drops a hidden one's answer).
(function () {
  "use strict";
  var form = document.querySelector("form");
  if (!form) return;
  var branched = form.querySelectorAll("fieldset[data-show-if]");

  function answerOf(name) {
    var inputs = form.querySelectorAll('input[name="' + name + '"]');
    var holder = inputs.length ? inputs[0].closest("fieldset") : null;
    if (holder && holder.hidden) return [];  // a hidden question has no answer
    var chosen = [];
    inputs.forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) chosen.push(input.value);
      } else if (input.value) {
        chosen.push(input.value);
      }
    });
    return chosen;
  }

  function passes(test, answer, value) {
    if (answer.length === 0) return false;
    if (test === "is") return answer.indexOf(value) !== -1;
    var number = parseInt(answer[0], 10), bound = parseInt(value, 10);
    return test === "lte" ? number <= bound : number >= bound;
  }

  function update() {
    branched.forEach(function (fieldset) {
      var shown = passes(fieldset.dataset.test, answerOf(fieldset.dataset.showIf),
                         fieldset.dataset.value);
      fieldset.hidden = !shown;
    });
  }

  form.addEventListener("change", update);
  update();
})();
