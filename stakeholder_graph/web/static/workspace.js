/* stakeholder-graph workspace: small progressive enhancements; every page works without them. */
(function () {
  "use strict";
  // A text box that filters a list of checkboxes (who took part in an engagement, and the like).
  document.querySelectorAll("[data-filter-for]").forEach(function (box) {
    var list = document.getElementById(box.getAttribute("data-filter-for"));
    if (!list) return;
    box.hidden = false;
    box.addEventListener("input", function () {
      var q = box.value.trim().toLowerCase();
      list.querySelectorAll("label").forEach(function (label) {
        label.hidden = q !== "" && label.textContent.toLowerCase().indexOf(q) < 0;
      });
    });
  });
  // The map page: show only the inputs the chosen view uses.
  var view = document.getElementById("map-view");
  if (view) {
    var sync = function () {
      document.querySelectorAll("[data-view]").forEach(function (p) {
        p.hidden = p.getAttribute("data-view").split(" ").indexOf(view.value) < 0;
      });
    };
    view.addEventListener("change", sync);
    sync();
  }
})();
