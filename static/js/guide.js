// "Where does it hurt?": small enhancements on top of plain forms that work without JavaScript.
// - the body map mirrors the region checkboxes, and a tap on the map ticks the checkbox;
// - a ticked "None of these" box on the safety screen fills in its group's "No" answers
//   (the server counts them as "No" anyway), and a "Yes" in the group unticks it;
// - after htmx swaps in the next step, focus its heading so screen readers announce it.
(function () {
  "use strict";

  function syncMap(form) {
    form.querySelectorAll('input[name="regions"]').forEach(function (box) {
      var shape = form.querySelector('.region[data-region="' + box.value + '"]');
      if (shape) shape.classList.toggle("is-marked", box.checked);
      if (!box.checked) {
        var worst = form.querySelector('input[name="worst"][value="' + box.value + '"]');
        if (worst) worst.checked = false;
      }
    });
    form.querySelectorAll(".region.is-worst").forEach(function (shape) {
      shape.classList.remove("is-worst");
    });
    var worst = form.querySelector('input[name="worst"]:checked');
    if (worst) {
      var shape = form.querySelector('.region[data-region="' + worst.value + '"]');
      if (shape) {
        shape.classList.add("is-worst");
        // Drawn last, so no neighbouring region covers part of its red outline.
        shape.parentNode.appendChild(shape);
      }
    }
  }

  function enhance(root) {
    root.querySelectorAll("form[data-bodymap-form]").forEach(syncMap);
  }

  document.addEventListener("click", function (event) {
    var shape = event.target.closest(".bodymap--interactive .region");
    if (shape) {
      var form = shape.closest("form");
      var box = form && form.querySelector('input[name="regions"][value="' + shape.dataset.region + '"]');
      if (box) {
        box.checked = !box.checked;
        syncMap(form);
      }
    }
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    var group = target.closest(".question-group");
    if (group && target.matches("[data-answer-all]") && target.checked) {
      group.querySelectorAll('input[type="radio"][value="' + target.dataset.answerAll + '"]').forEach(function (radio) {
        radio.checked = true;
      });
      group.querySelectorAll(".has-error").forEach(function (item) {
        item.classList.remove("has-error");
      });
    } else if (group && target.matches('input[type="radio"][value="yes"]') && target.checked) {
      var none = group.querySelector("[data-answer-all]");
      if (none) none.checked = false;
    }
    var form = event.target.closest("form[data-bodymap-form]");
    if (form) syncMap(form);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var guide = document.getElementById("guide");
    if (!guide || !guide.contains(event.detail.elt) && event.detail.elt !== guide) return;
    enhance(guide);
    var heading = guide.querySelector("h1");
    if (heading) {
      heading.focus({ preventScroll: true });
      window.scrollTo({ top: 0 });
    }
  });

  enhance(document);
})();
