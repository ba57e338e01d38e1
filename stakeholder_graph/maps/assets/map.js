(function () {
  "use strict";
  var SVGNS = "http" + "://www.w3.org/2000/svg";
  var POLY = {square: "3,3 17,3 17,17 3,17", diamond: "10,1 19,10 10,19 1,10", triangle: "10,2 19,18 1,18",
    triangleDown: "1,2 19,2 10,18", hexagon: "5.5,2 14.5,2 19,10 14.5,18 5.5,18 1,10",
    star: "10,1 12.4,7.3 19.2,7.6 13.8,11.8 15.7,18.5 10,14.6 4.3,18.5 6.2,11.8 0.8,7.6 7.6,7.3"};
  var FONT = {person: 13, organization: 17, service: 15, engagement: 15, community: 24, team: 24};
  var PLAIN_EDGES = 4000;  // above this many links, lines are solid: dashes cost most of a redraw
  var graphs = {};
  window.__stakeholderMaps = window.__stakeholderMaps || {};

  function h(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function rgba(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + ((n >> 16) & 255) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + a + ")";
  }
  function svg(w, hgt) {
    var s = document.createElementNS(SVGNS, "svg");
    s.setAttribute("width", w); s.setAttribute("height", hgt); s.setAttribute("viewBox", "0 0 " + w + " " + hgt);
    s.setAttribute("class", "sgmap-icon"); s.setAttribute("aria-hidden", "true");
    return s;
  }
  function shapeIcon(shape, color) {
    var s = svg(20, 20), p;
    if (POLY[shape]) { p = document.createElementNS(SVGNS, "polygon"); p.setAttribute("points", POLY[shape]); }
    else { p = document.createElementNS(SVGNS, "circle"); p.setAttribute("cx", "10"); p.setAttribute("cy", "10"); p.setAttribute("r", "7.5"); }
    p.setAttribute("fill", color || "#9a9a9a"); p.setAttribute("stroke", "#333"); p.setAttribute("stroke-width", "1");
    s.appendChild(p);
    return s;
  }
  function ringIcon(color) {
    var s = svg(16, 16), c = document.createElementNS(SVGNS, "circle");
    c.setAttribute("cx", "8"); c.setAttribute("cy", "8"); c.setAttribute("r", "5.5");
    c.setAttribute("fill", "#ffffff"); c.setAttribute("stroke", color); c.setAttribute("stroke-width", "3");
    s.appendChild(c);
    return s;
  }
  function lineIcon(style) {
    var s = svg(34, 12), l = document.createElementNS(SVGNS, "line");
    l.setAttribute("x1", "1"); l.setAttribute("y1", "6"); l.setAttribute("x2", style.directed ? "26" : "33"); l.setAttribute("y2", "6");
    l.setAttribute("stroke", style.color); l.setAttribute("stroke-width", "2");
    if (style.dashes) l.setAttribute("stroke-dasharray", style.dashes.join(" "));
    s.appendChild(l);
    if (style.directed) { var a = document.createElementNS(SVGNS, "polygon"); a.setAttribute("points", "26,2 33,6 26,10"); a.setAttribute("fill", style.color); s.appendChild(a); }
    return s;
  }
  // The page carries a graph's nodes column by column and its repeated strings once (atlas._pack): back
  // into one object per node, each tooltip row a [label, value] pair (the value's parts joined with ", "),
  // each link's details one string (its lines joined).
  function unpack(G) {
    if (!G.packed) return G;
    var S = G.strings, C = G.nodes, nodes = new Array(C.id.length);
    for (var i = 0; i < nodes.length; i++) {
      var flat = C.info[i], info = [];
      for (var k = 0; k < flat.length; k += 2 + flat[k + 1]) {
        info.push([S[flat[k]], flat.slice(k + 2, k + 2 + flat[k + 1]).map(function (x) { return S[x]; }).join(", ")]);
      }
      nodes[i] = {id: C.id[i], label: C.label[i], kind: C.kind[i] < 0 ? null : S[C.kind[i]],
                  sector: C.sector[i] < 0 ? null : S[C.sector[i]], com: C.com[i], cv: C.cv[i], size: C.size[i],
                  marks: C.marks[i], info: info, gaps: C.gaps[i]};
    }
    G.nodes = nodes;
    G.edges = G.edges.map(function (e) {
      return [e[0], e[1], e[2], e[3], e[4], e[5].map(function (x) { return S[x]; }).join("\n")];
    });
    delete G.packed; delete G.strings;
    return G;
  }
  function graphData(id) {
    if (!graphs[id]) graphs[id] = unpack(JSON.parse(document.getElementById(id).textContent));
    return graphs[id];
  }

  function initMap(root) {
    var t0 = performance.now();
    var V = JSON.parse(document.getElementById(root.id + "-view").textContent);
    var G = graphData(V.graph);
    var N = G.nodes.length;
    var canvas = root.querySelector(".sgmap-canvas"), side = root.querySelector(".sgmap-side");
    var S = {id: root.id, view: V, graph: G, stabilized: false, startedAt: t0, readyAt: null, times: {parsed: performance.now()},
             network: null, nodes: null, edges: null, open: {}, marksOn: {}, filters: {}, tips: {}};
    window.__stakeholderMaps[root.id] = S;
    if (!window.__stakeholderMap) window.__stakeholderMap = S;

    var members = V.nodes || Array.from({length: N}, function (_, i) { return i; });
    var inView = new Uint8Array(N); members.forEach(function (i) { inView[i] = 1; });
    var edgeList = V.edges || G.edges.map(function (_, j) { return j; });
    var pos = {}; if (V.pos) members.forEach(function (i, k) { pos[i] = V.pos[k]; });
    var hlNodes = V.highlightNodes ? new Set(V.highlightNodes) : null;
    var hlEdges = V.highlightEdges ? new Set(V.highlightEdges) : null;
    var clusters = V.clusters || [];
    var clusterOf = new Int32Array(N).fill(-1);
    clusters.forEach(function (c, k) { c.members.forEach(function (i) { clusterOf[i] = k; }); });
    (V.open || []).forEach(function (k) { S.open[k] = true; });  // clusters the view opens (its paths, its focus)
    G.marks.forEach(function (m) { S.marksOn[m.key] = true; });
    var markDef = {}; G.marks.concat(G.viewMarks).forEach(function (m) { markDef[m.key] = m; });
    var kindShape = {}; G.kinds.forEach(function (k) { kindShape[k.kind] = k.shape; });
    var indexOf = {}; G.nodes.forEach(function (n, i) { indexOf[n.id] = i; });
    var level = Math.min(Math.max(+(root.getAttribute("data-heading-level") || 3), 2), 6);

    // ---------- filters: a stakeholder is shown when its sector, kind and community are all checked
    var dims = {sector: {}, kind: {}, community: {}, edge: {}};
    function sectorKey(n) { return n.sector || ""; }
    function comKeys(n) { return n.com.length ? n.com.map(String) : [""]; }
    members.forEach(function (i) {
      var n = G.nodes[i];
      dims.sector[sectorKey(n)] = (dims.sector[sectorKey(n)] || 0) + 1;
      dims.kind[n.kind] = (dims.kind[n.kind] || 0) + 1;
      comKeys(n).forEach(function (c) { dims.community[c] = (dims.community[c] || 0) + 1; });
    });
    edgeList.forEach(function (j) { var t = String(G.edges[j][2]); dims.edge[t] = (dims.edge[t] || 0) + 1; });
    Object.keys(dims).forEach(function (d) { S.filters[d] = new Set(Object.keys(dims[d])); });
    function nodePasses(i) {
      var n = G.nodes[i], f = S.filters;
      return f.sector.has(sectorKey(n)) && f.kind.has(n.kind) && comKeys(n).some(function (c) { return f.community.has(c); });
    }

    // ---------- drawing items
    function color(cv) { return G.colors[cv] ? G.colors[cv].color : "#D9D9D9"; }
    function tooltip(i) {
      if (S.tips[i]) return S.tips[i];
      var n = G.nodes[i], box = h("div", "sgmap-tip"), dl = h("dl");
      box.appendChild(h("b", null, n.label));
      n.info.forEach(function (row) { dl.appendChild(h("dt", null, row[0])); dl.appendChild(h("dd", null, row[1])); });
      box.appendChild(dl);
      if (n.gaps.length) {
        var ul = h("ul");
        n.gaps.forEach(function (g) { var gap = G.gaps[g]; ul.appendChild(h("li", null, "[" + gap.severity + "] " + gap.message)); });
        box.appendChild(ul);
      }
      S.tips[i] = box;
      return box;
    }
    function activeMarks(i) {
      var out = [], vm = V.viewMarks[String(i)] || [];
      vm.forEach(function (k) { out.push(markDef[k]); });
      G.nodes[i].marks.forEach(function (k) { if (S.marksOn[k]) out.push(markDef[k]); });
      return out;
    }
    function decorate(item, marks, base, faded) {
      var marked = marks.length > 0;
      var border = marked ? (faded ? rgba(marks[0].border, 0.3) : marks[0].border) : (faded ? "rgba(80,80,80,0.25)" : "#3d3d3d");
      var bg = faded ? rgba(base, 0.16) : base;
      item.color = {background: bg, border: border, highlight: {background: bg, border: "#000000"}, hover: {background: bg, border: "#000000"}};
      item.borderWidth = marked ? (faded ? 2 : 4) : 1;
      item.borderWidthSelected = marked ? 5 : 3;
      item.shadow = marked && !faded ? {enabled: true, color: marks[0].halo, size: 16, x: 0, y: 0} : {enabled: false};
      var size = item.font ? item.font.size : 14;
      if (marked && !faded) size = Math.max(size, 22);
      item.font = {size: size, color: faded ? "rgba(30,30,30,0.28)" : (marked ? "#000000" : "#1b1b1b"), strokeWidth: faded ? 0 : (marked ? 4 : 3), strokeColor: "#ffffff"};
      return item;
    }
    function nodeItem(i) {
      var n = G.nodes[i], marks = activeMarks(i), faded = hlNodes !== null && !hlNodes.has(i);
      var badge = marks.map(function (m) { return m.symbol; }).join("");
      var item = {id: n.id, label: (badge ? badge + " " : "") + n.label, shape: kindShape[n.kind] || "dot",
                  size: n.size, hidden: !nodePasses(i), title: tooltip(i),
                  font: {size: FONT[n.kind] || 16}};
      if (pos[i]) { item.x = pos[i][0]; item.y = pos[i][1]; }
      return decorate(item, marks, color(n.cv), faded);
    }
    function clusterId(k) { return "#cluster-" + k; }
    function clusterItem(k) {
      var c = clusters[k], marks = [], badge = "";
      G.marks.forEach(function (m) { if (S.marksOn[m.key] && c.marks[m.key]) { marks.push(m); badge += " " + m.symbol + c.marks[m.key]; } });
      var shown = c.members.some(nodePasses);
      var tip = h("div", "sgmap-tip"); tip.appendChild(h("b", null, c.label));
      tip.appendChild(h("div", null, c.members.length + " stakeholders folded in" + (badge ? "; marked:" + badge : "")));
      tip.appendChild(h("div", null, "Double-click to open."));
      var item = {id: clusterId(k), label: c.label + " (" + c.members.length + ")" + badge, shape: c.shape, size: c.size,
                  x: c.x, y: c.y, hidden: !shown, title: tip, font: {size: 20}};
      return decorate(item, marks, color(c.cv), false);
    }
    function rep(i) { var c = clusterOf[i]; return c >= 0 && !S.open[c] ? clusterId(c) : G.nodes[i].id; }
    function edgeStyle(t) { return G.edgeTypes[t]; }
    function edgeItems() {
      var out = [], agg = {}, plain = edgeList.length > PLAIN_EDGES;
      edgeList.forEach(function (j) {
        var e = G.edges[j], a = rep(e[0]), b = rep(e[1]);
        var typeOk = S.filters.edge.has(String(e[2]));
        var ends = (a.charAt(0) === "#" ? clusterVisible(a) : nodePasses(e[0])) && (b.charAt(0) === "#" ? clusterVisible(b) : nodePasses(e[1]));
        if (a.charAt(0) !== "#" && b.charAt(0) !== "#") {
          var st = edgeStyle(e[2]), faded = hlEdges !== null && !hlEdges.has(j), strong = V.mode === "need" && !faded;
          var from = G.nodes[e[0]].label, to = G.nodes[e[1]].label;
          out.push({id: "#e" + j, from: a, to: b, dashes: plain ? false : st.dashes, hidden: !(typeOk && ends),
                    width: strong ? 3 + e[3] * 0.6 : (e[3] ? 0.5 + e[3] * 0.7 : 1),
                    color: {color: strong ? "#111111" : (faded ? rgba(st.color, 0.13) : st.color), highlight: "#000000", hover: "#000000", inherit: false},
                    arrows: st.directed ? {to: {enabled: true, scaleFactor: 0.45}} : {to: {enabled: false}},
                    title: from + (st.directed ? " \u2192 " : " \u2014 ") + to + ": " + st.label + (e[5] ? "\n" + e[5] : "")});
        } else if (a !== b) {
          var key = a < b ? a + "|" + b : b + "|" + a;
          var g = agg[key] || (agg[key] = {from: a, to: b, count: 0, shown: 0});
          g.count += 1; if (typeOk && ends) g.shown += 1;
        }
      });
      Object.keys(agg).forEach(function (key) {
        var g = agg[key];
        out.push({id: "#agg" + key, from: g.from, to: g.to, hidden: g.shown === 0, width: Math.min(1 + Math.log2(g.count), 9),
                  color: {color: "rgba(120,120,120,0.55)", highlight: "#000000", hover: "#000000", inherit: false},
                  dashes: false, arrows: {to: {enabled: false}}, title: g.count + " relationship" + (g.count === 1 ? "" : "s")});
      });
      return out;
    }
    function clusterVisible(cid) { var k = +cid.slice(9); return clusters[k].members.some(nodePasses); }
    function nodeItems() {
      var out = [];
      members.forEach(function (i) { var c = clusterOf[i]; if (c < 0 || S.open[c]) out.push(nodeItem(i)); });
      clusters.forEach(function (_, k) { if (!S.open[k]) out.push(clusterItem(k)); });
      return out;
    }
    var signature = {};
    function sig(item) { return [item.hidden, item.label, item.color && (item.color.background + item.color.color + item.color.border), item.borderWidth, item.width].join("|"); }
    function sync(ds, items) {
      var keep = {}, changed = [];
      items.forEach(function (it) { keep[it.id] = true; var s = sig(it); if (signature[it.id] !== s) { signature[it.id] = s; changed.push(it); } });
      var gone = ds.getIds().filter(function (id) { return !keep[id]; });
      gone.forEach(function (id) { delete signature[id]; });
      if (gone.length) ds.remove(gone);
      if (changed.length) ds.update(changed);
    }
    function render() { sync(S.nodes, nodeItems()); sync(S.edges, edgeItems()); updateStatus(); }

    // ---------- the network
    var opts = V.options || {physics: {enabled: false}, edges: {smooth: false}, interaction: {hover: true, tooltipDelay: 150, hideEdgesOnDrag: true, hideEdgesOnZoom: true, multiselect: true}, layout: {improvedLayout: false}};
    if (!V.physics) opts.physics = {enabled: false};
    S.nodes = new vis.DataSet(nodeItems().map(function (it) { signature[it.id] = sig(it); return it; }));
    S.edges = new vis.DataSet(edgeItems().map(function (it) { signature[it.id] = sig(it); return it; }));
    S.times.items = performance.now();
    S.network = new vis.Network(canvas, {nodes: S.nodes, edges: S.edges}, opts);
    S.times.network = performance.now();
    S.network.on("afterDrawing", function () { if (!S.times.firstDraw) S.times.firstDraw = performance.now(); });
    function ready() {
      if (S.stabilized) return;
      S.stabilized = true; S.readyAt = performance.now();
      root.dispatchEvent(new CustomEvent("sgmap:ready", {bubbles: true}));
    }
    if (V.physics) {
      S.network.once("stabilizationIterationsDone", function () { S.network.setOptions({physics: {enabled: false}}); S.network.fit(); S.network.once("afterDrawing", ready); S.network.redraw(); });
    } else {
      S.network.once("afterDrawing", ready);
      S.network.fit();
    }
    S.network.on("doubleClick", function (p) {
      if (p.nodes.length === 1 && String(p.nodes[0]).indexOf("#cluster-") === 0) S.openCluster(+String(p.nodes[0]).slice(9));
    });
    S.network.on("select", function (p) { showDetails(p.nodes); });
    // the network's own focusable frame is the map's one Tab stop: named, described, driven by the keys
    var frame = canvas.querySelector(".vis-network") || canvas;
    frame.setAttribute("tabindex", "0");
    frame.setAttribute("role", "application");
    frame.setAttribute("aria-roledescription", "network map");
    frame.setAttribute("aria-label", (V.title || "Stakeholder map") + ": " + V.caption);
    frame.setAttribute("aria-describedby", root.id + "-keys " + root.id + "-details");
    frame.addEventListener("keydown", onKey);

    // ---------- API for people and tests
    S.counts = function () {
      var shownNodes = S.nodes.get({filter: function (n) { return !n.hidden; }}).length;
      var shownEdges = S.edges.get({filter: function (e) { return !e.hidden; }}).length;
      return {nodes: S.nodes.length, edges: S.edges.length, visibleNodes: shownNodes, visibleEdges: shownEdges,
              viewNodes: members.length, viewEdges: edgeList.length, clusters: clusters.length};
    };
    S.openCluster = function (k) { if (k >= 0 && k < clusters.length && !S.open[k]) { S.open[k] = true; render(); } };
    S.foldAll = function () { S.open = {}; render(); };
    S.setFilter = function (dim, key, on) { if (on) S.filters[dim].add(String(key)); else S.filters[dim].delete(String(key)); render(); syncChecks(); };
    S.setMark = function (key, on) { S.marksOn[key] = !!on; render(); syncChecks(); };
    S.show = function (indices) {
      var ids = [];
      indices.forEach(function (i) { if (clusterOf[i] >= 0 && !S.open[clusterOf[i]]) S.open[clusterOf[i]] = true; });
      render();
      indices.forEach(function (i) { if (inView[i] && S.nodes.get(G.nodes[i].id)) ids.push(G.nodes[i].id); });
      if (!ids.length) return 0;
      S.network.selectNodes(ids);
      S.network.fit({nodes: ids, animation: false, maxZoomLevel: 1.4});
      showDetails(ids);
      return ids.length;
    };
    // keyboard: the stakeholders shown, in alphabetical order; the selected one brought into view
    function itemName(id) { return id.indexOf("#cluster-") === 0 ? clusters[+id.slice(9)].label : G.nodes[indexOf[id]].label; }
    function shownInOrder() {
      return S.nodes.get({filter: function (n) { return !n.hidden; }}).map(function (n) { return n.id; })
        .sort(function (a, b) { return itemName(a).localeCompare(itemName(b)) || (a < b ? -1 : 1); });
    }
    S.select = function (id) {
      if (!S.nodes.get(id)) return false;
      S.network.selectNodes([id]);
      S.network.focus(id, {scale: Math.max(S.network.getScale(), 0.9), animation: false});
      showDetails([id]);
      return true;
    };
    function onKey(ev) {
      var order, at, next = null, key = ev.key, selected = S.network.getSelectedNodes();
      if (key === "ArrowDown" || key === "ArrowRight" || key === "ArrowUp" || key === "ArrowLeft" || key === "Home" || key === "End") {
        order = shownInOrder(); if (!order.length) return;
        at = selected.length ? order.indexOf(selected[0]) : -1;
        if (key === "Home") next = order[0];
        else if (key === "End") next = order[order.length - 1];
        else if (key === "ArrowDown" || key === "ArrowRight") next = order[at < 0 ? 0 : (at + 1) % order.length];
        else next = order[at <= 0 ? order.length - 1 : at - 1];
        S.select(next);
      } else if (key === "Enter" && selected.length === 1 && selected[0].indexOf("#cluster-") === 0) {
        var k = +selected[0].slice(9); S.openCluster(k);
        var first = clusters[k].members.map(function (i) { return G.nodes[i].id; }).sort(function (a, b) { return itemName(a).localeCompare(itemName(b)); })[0];
        if (first) S.select(first);
      } else if (key === "+" || key === "=" || key === "-") {
        S.network.moveTo({scale: S.network.getScale() * (key === "-" ? 1 / 1.25 : 1.25), animation: false});
      } else if (key === "0") {
        S.network.fit({animation: false});
      } else if (key === "Escape") {
        S.network.unselectAll(); showDetails([]);
      } else {
        return;
      }
      ev.preventDefault();
    }

    // ---------- side panel: legend, marks, search, filters, gaps (all text via textContent)
    var checks = [];
    function section(title, parent) { (parent || side).appendChild(h("h" + level, null, title)); }
    function checkbox(li, checked, onchange, dim, key) {
      var box = h("input"); box.type = "checkbox"; box.checked = checked;
      if (dim) { box.setAttribute("data-filter", dim); box.setAttribute("data-key", key); checks.push(box); }
      box.addEventListener("change", function () { onchange(box.checked); });
      li.insertBefore(box, li.firstChild);
      return box;
    }
    function syncChecks() { checks.forEach(function (b) { var d = b.getAttribute("data-filter"); b.checked = d === "mark" ? !!S.marksOn[b.getAttribute("data-key")] : S.filters[d].has(b.getAttribute("data-key")); }); }
    // find, and the details of what is selected (read out by screen readers as it changes)
    var finder = h("div", "sgmap-controls sgmap-find"); side.appendChild(finder);
    section("Find", finder);
    var search = h("input", "sgmap-search"); search.type = "search"; search.placeholder = "name or id, then Enter";
    search.setAttribute("aria-label", "Find a stakeholder by name or id, then press Enter");
    finder.appendChild(search);
    var found = h("p", "sgmap-status"); found.setAttribute("role", "status"); finder.appendChild(found);
    search.addEventListener("keydown", function (ev) {
      if (ev.key !== "Enter") return;
      var q = search.value.trim().toLowerCase(); if (!q) return;
      var hits = members.filter(function (i) { var n = G.nodes[i]; return n.label.toLowerCase().indexOf(q) >= 0 || n.id.toLowerCase() === q; }).slice(0, 25);
      var shown = S.show(hits);
      found.textContent = hits.length ? shown + " found and selected" : "no match";
    });
    var keys = h("p", "sgmap-keys", "Keyboard: Tab to the map, then the arrow keys go from stakeholder to stakeholder (A to Z), Home and End to the first and last, Enter opens a cluster, + and \u2212 zoom, 0 shows all, Escape clears.");
    keys.id = root.id + "-keys"; finder.appendChild(keys);
    var details = h("section", "sgmap-details");
    details.setAttribute("aria-live", "polite"); details.setAttribute("aria-atomic", "true");
    details.id = root.id + "-details";
    side.appendChild(details);
    function showDetails(ids) {
      details.textContent = "";
      details.appendChild(h("h" + level, null, "Selected"));
      if (!ids || !ids.length) {
        details.appendChild(h("p", "sgmap-hint", "Nothing selected. Click a stakeholder, find one above, or Tab to the map and use the arrow keys."));
        return;
      }
      if (ids.length > 1) {
        var many = h("ul", "sgmap-selected");
        ids.slice(0, 25).forEach(function (id) { many.appendChild(h("li", null, itemName(id))); });
        details.appendChild(h("p", null, ids.length + " selected:")); details.appendChild(many);
        return;
      }
      var id = ids[0], box = h("div", "sgmap-card");
      if (id.indexOf("#cluster-") === 0) {
        var c = clusters[+id.slice(9)];
        box.appendChild(h("p", "sgmap-card-name", c.label));
        box.appendChild(h("p", null, c.members.length + " stakeholders folded in. Double-click, or press Enter, to open."));
      } else {
        var n = G.nodes[indexOf[id]], dl = h("dl");
        box.appendChild(h("p", "sgmap-card-name", n.label));
        n.info.forEach(function (row) { dl.appendChild(h("dt", null, row[0])); dl.appendChild(h("dd", null, row[1])); });
        var marks = activeMarks(indexOf[id]);
        if (marks.length) { dl.appendChild(h("dt", null, "marked")); dl.appendChild(h("dd", null, marks.map(function (m) { return m.label; }).join("; "))); }
        box.appendChild(dl);
        if (n.gaps.length) {
          box.appendChild(h("p", "sgmap-card-gaps", "Gaps that concern them:"));
          var ul = h("ul", "sgmap-card-gaps");
          n.gaps.forEach(function (g) { var gap = G.gaps[g]; ul.appendChild(h("li", null, "[" + gap.severity + "] " + gap.message)); });
          box.appendChild(ul);
        }
      }
      details.appendChild(box);
    }
    showDetails([]);
    var status = h("p", "sgmap-status"); side.appendChild(status);
    function updateStatus() {
      var c = S.counts();
      status.textContent = "Showing " + c.visibleNodes + " of " + c.nodes + " nodes and " + c.visibleEdges + " of " + c.edges + " links" + (clusters.length ? " (" + clusters.length + " clusters)" : "") + ".";
    }
    // legend: colours
    section("Colour: " + G.colorBy);
    var ul = h("ul", "sgmap-legend sgmap-colors"); side.appendChild(ul);
    var seen = {};
    members.forEach(function (i) { seen[G.nodes[i].cv] = (seen[G.nodes[i].cv] || 0) + 1; });
    G.colors.forEach(function (c, k) {
      if (!seen[k]) return;
      var li = h("li"); var sw = h("span", "sgmap-swatch"); sw.style.background = c.color; li.appendChild(sw);
      li.appendChild(h("span", null, c.label)); li.appendChild(h("span", "sgmap-count", seen[k]));
      li.setAttribute("data-value", c.value === null ? "" : c.value);
      if (G.colorBy === "sector" && c.value !== null) li.setAttribute("data-sector", c.value);
      ul.appendChild(li);
    });
    if (G.missing.length) {
      var miss = h("ul", "sgmap-legend sgmap-missing");
      G.missing.forEach(function (m) { miss.appendChild(h("li", null, "\u2717 " + m.label + (m.count ? ": " + m.count + " in the network, none engaged" : ": none in the network"))); });
      section("Missing from the table"); side.appendChild(miss);
    }
    section("Shape: kind");
    var kl = h("ul", "sgmap-legend sgmap-kinds"); side.appendChild(kl);
    G.kinds.forEach(function (k) {
      if (!dims.kind[k.kind]) return;
      var li = h("li"); li.appendChild(shapeIcon(k.shape)); li.appendChild(h("span", null, k.kind)); li.appendChild(h("span", "sgmap-count", dims.kind[k.kind])); li.setAttribute("data-kind", k.kind); kl.appendChild(li);
    });
    section("Marks (click to hide)");
    var ml = h("ul", "sgmap-legend sgmap-marks"); side.appendChild(ml);
    G.marks.forEach(function (m) {
      var count = members.filter(function (i) { return G.nodes[i].marks.indexOf(m.key) >= 0; }).length;
      var li = h("li"), lab = h("label"); lab.appendChild(ringIcon(m.border)); lab.appendChild(h("span", "sgmap-sym", m.symbol)); lab.appendChild(h("span", null, m.label));
      lab.appendChild(h("span", "sgmap-count", count)); li.appendChild(lab);
      var box = checkbox(lab, true, function (on) { S.setMark(m.key, on); }, "mark", m.key);
      box.setAttribute("data-mark", m.key); ml.appendChild(li);
    });
    var vmUsed = {}; Object.keys(V.viewMarks).forEach(function (k) { V.viewMarks[k].forEach(function (m) { vmUsed[m] = (vmUsed[m] || 0) + 1; }); });
    G.viewMarks.forEach(function (m) {
      if (!vmUsed[m.key]) return;
      var li = h("li"); li.appendChild(ringIcon(m.border)); li.appendChild(h("span", "sgmap-sym", m.symbol)); li.appendChild(h("span", null, m.label)); li.appendChild(h("span", "sgmap-count", vmUsed[m.key])); ml.appendChild(li);
    });
    if (hlNodes) { var li0 = h("li", null, "Faded: outside this view's paths and ties."); ml.appendChild(li0); }
    section("Lines: relationship type");
    var el = h("ul", "sgmap-legend sgmap-edges"); side.appendChild(el);
    G.edgeTypes.forEach(function (t, k) {
      if (!dims.edge[String(k)]) return;
      var li = h("li"); li.appendChild(lineIcon(t)); li.appendChild(h("span", null, t.label)); li.appendChild(h("span", "sgmap-count", dims.edge[String(k)])); el.appendChild(li);
    });
    el.appendChild(h("li", null, "Width: strength (1 awareness to 4 integration)."));
    if (edgeList.length > PLAIN_EDGES) el.appendChild(h("li", null, "Lines are drawn solid: too many links for dashes."));

    // controls (hidden in print)
    var controls = h("div", "sgmap-controls"); side.appendChild(controls);
    if (clusters.length) {
      var fold = h("button", null, "Fold all clusters"); fold.type = "button"; fold.addEventListener("click", S.foldAll);
      var cb = h("div", "sgmap-buttons"); cb.appendChild(fold); controls.appendChild(cb);
    }
    section("Filters", controls);
    var comLabel = {}; G.communities.forEach(function (c) { comLabel[String(c.index)] = c.label; });
    var edgeLabel = {}; G.edgeTypes.forEach(function (t, k) { edgeLabel[String(k)] = t.label; });
    [["sector", "Sector", function (k) { return k ? k.replace(/_/g, " ") : "(no sector)"; }],
     ["kind", "Kind", function (k) { return k; }],
     ["community", "Community", function (k) { return k ? (comLabel[k] || k) : "(no community)"; }],
     ["edge", "Relationship type", function (k) { return edgeLabel[k]; }]].forEach(function (spec) {
      var dim = spec[0], keys = Object.keys(dims[dim]);
      if (dim === "sector") keys.sort(function (a, b) { return (a === "") - (b === "") || a.localeCompare(b); });
      if (dim === "community") keys.sort(function (a, b) { return (a === "") - (b === "") || spec[2](a).localeCompare(spec[2](b)); });
      if (dim === "edge" || dim === "kind") keys.sort();
      var det = h("details"); det.setAttribute("data-dimension", dim); det.appendChild(h("summary", null, spec[1] + " (" + keys.length + ")"));
      var buttons = h("div", "sgmap-buttons"), all = h("button", null, "all"), none = h("button", null, "none");
      all.type = none.type = "button";
      all.setAttribute("aria-label", "all: show every " + spec[1].toLowerCase()); none.setAttribute("aria-label", "none: hide every " + spec[1].toLowerCase());
      all.addEventListener("click", function () { S.filters[dim] = new Set(keys); render(); syncChecks(); });
      none.addEventListener("click", function () { S.filters[dim] = new Set(); render(); syncChecks(); });
      buttons.appendChild(all); buttons.appendChild(none); det.appendChild(buttons);
      var list = h("ul", "sgmap-filter");
      keys.forEach(function (k) {
        var li = h("li"), lab = h("label"); lab.appendChild(h("span", null, spec[2](k))); lab.appendChild(h("span", "sgmap-count", dims[dim][k]));
        li.appendChild(lab); checkbox(lab, true, function (on) { S.setFilter(dim, k, on); }, dim, k); list.appendChild(li);
      });
      det.appendChild(list); controls.appendChild(det);
    });
    // gaps
    var gapIdx = G.gaps.map(function (_, g) { return g; });
    if (gapIdx.length) {
      section("Gaps (" + gapIdx.length + ")");
      var gl = h("ul", "sgmap-gaps"); side.appendChild(gl);
      gapIdx.forEach(function (g) {
        var gap = G.gaps[g], li = h("li", "sev-" + gap.severity);
        li.appendChild(h("span", null, "[" + gap.severity + "] " + gap.message));
        var here = gap.nodes.filter(function (i) { return inView[i]; });
        if (here.length) {
          var b = h("button", null, "show " + here.length + " on the map"); b.type = "button";
          b.addEventListener("click", function () { S.show(here); });
          li.appendChild(h("br")); li.appendChild(b);
        }
        gl.appendChild(li);
      });
    }
    updateStatus();
  }

  function start(root) {
    if (root.getAttribute("data-started")) return;
    root.setAttribute("data-started", "1");
    try { initMap(root); } catch (err) { root.setAttribute("data-error", String(err)); if (window.console) console.error(err); }
  }
  function initAll() {
    var roots = Array.prototype.slice.call(document.querySelectorAll(".sgmap"));
    window.__stakeholderMapStartAll = function () { roots.forEach(start); };
    // printing changes the maps' size: draw every map, then redraw each at its printed size
    function refit() {
      Object.keys(window.__stakeholderMaps).forEach(function (id) {
        var S = window.__stakeholderMaps[id];
        if (S.network) { S.network.setSize("100%", "100%"); S.network.redraw(); S.network.fit(); }
      });
    }
    window.addEventListener("beforeprint", function () { window.__stakeholderMapStartAll(); refit(); });
    window.addEventListener("afterprint", refit);
    if (window.matchMedia) {
      var printing = window.matchMedia("print");
      if (printing.addEventListener) printing.addEventListener("change", refit); else if (printing.addListener) printing.addListener(refit);
    }
    if (roots.length < 2 || !("IntersectionObserver" in window)) { roots.forEach(start); return; }
    // several maps on a page (the report): draw each when it comes near the screen
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (en) { if (en.isIntersecting) { seen.unobserve(en.target); start(en.target); } });
    }, {rootMargin: "400px"});
    roots.forEach(function (r) { seen.observe(r); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initAll); else initAll();
})();
