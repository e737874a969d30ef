// Claim view: draw the provenance graph from /api/claims/ID with cytoscape.js (served
// locally). Without the library the table below the graph stays the view.
(function () {
  "use strict";
  var box = document.getElementById("graph");
  if (!box) return;
  if (typeof window.cytoscape !== "function") {
    box.hidden = true;
    var wrap = document.getElementById("graph-table-wrap");
    if (wrap) wrap.open = true;
    return;
  }
  // Labels are drawn on a canvas: drop bidi and other control characters first.
  var controls = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u0000-\u001f\u007f-\u009f]/g;
  function clean(s) {
    s = String(s == null ? "" : s).replace(controls, "");
    return s.length > 60 ? s.slice(0, 59) + "\u2026" : s;
  }
  var id = box.getAttribute("data-claim");
  fetch("/api/claims/" + encodeURIComponent(id), { headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
    .then(function (claim) {
      var elements = [];
      claim.graph.nodes.forEach(function (n) {
        var data = { id: n.id, label: clean(n.label), kind: n.kind };
        if (n.parent) data.parent = n.parent;
        if (n.article_id) data.href = "/articles/" + encodeURIComponent(n.article_id);
        if (n.actor_id) data.href = "/actors/" + encodeURIComponent(n.actor_id);
        elements.push({ group: "nodes", data: data });
      });
      claim.graph.edges.forEach(function (e) {
        elements.push({ group: "edges", data: { id: e.id, source: e.source, target: e.target, kind: e.kind } });
      });
      var cy = window.cytoscape({
        container: box,
        elements: elements,
        layout: { name: "breadthfirst", directed: true, spacingFactor: 1.1, padding: 20 },
        wheelSensitivity: 0.3,
        style: [
          { selector: "node", style: { label: "data(label)", "font-size": 10, "text-wrap": "wrap", "text-max-width": 140, "text-valign": "bottom", "text-margin-y": 4, width: 22, height: 22 } },
          { selector: "node[kind = 'article']", style: { "background-color": "#64b5f6", shape: "round-rectangle" } },
          { selector: "node[kind = 'relay']", style: { "background-color": "#ffb74d", shape: "diamond" } },
          { selector: "node[kind = 'origin']", style: { "background-color": "#66bb6a", shape: "star", width: 28, height: 28 } },
          { selector: "node[kind = 'outlet']", style: { "background-color": "#ede7f6", "border-color": "#9575cd", "border-width": 1, "text-valign": "top", "font-weight": "bold", shape: "round-rectangle" } },
          { selector: "edge", style: { width: 1.5, "curve-style": "bezier", "target-arrow-shape": "triangle", "line-color": "#90a4ae", "target-arrow-color": "#90a4ae", label: "data(kind)", "font-size": 8, color: "#607d8b" } },
          { selector: "node[kind = 'earlier']", style: { "background-color": "#cfd8dc", shape: "ellipse", width: 12, height: 12, "font-size": 8 } },
          { selector: "edge[kind = 'earlier_report']", style: { "line-style": "dashed", "line-color": "#e57373", "target-arrow-color": "#e57373" } },
          { selector: "edge[kind = 'earlier']", style: { "line-style": "dotted", label: "" } }
        ]
      });
      cy.on("tap", "node", function (ev) {
        var href = ev.target.data("href");
        if (href) window.location.assign(href);
      });
      box.setAttribute("data-ready", String(cy.nodes().length));
    })
    .catch(function () {
      box.hidden = true;
      var wrap = document.getElementById("graph-table-wrap");
      if (wrap) wrap.open = true;
    });
})();
