/* The workspace's map: clicking a stakeholder opens its page (clusters still open on double-click). */
(function () {
  "use strict";
  document.addEventListener("sgmap:ready", function (event) {
    var root = event.target;
    var frame = root.closest("[data-stakeholder-base]");
    var state = (window.__stakeholderMaps || {})[root.id];
    if (!frame || !state || !state.network) return;
    var base = frame.getAttribute("data-stakeholder-base");
    state.network.on("click", function (params) {
      if (params.nodes.length !== 1) return;
      var id = String(params.nodes[0]);
      if (id.charAt(0) === "#") return;  // a cluster, not a stakeholder
      window.location.assign(base + encodeURIComponent(id));
    });
    root.setAttribute("data-links", "1");
  });
})();
