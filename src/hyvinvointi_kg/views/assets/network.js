(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("hk-data").textContent);
  var hidden = new Set();
  var groupOf = new Map();
  var original = new Map();
  data.nodes.forEach(function (n) { groupOf.set(n.id, n.hkGroup); original.set(n.id, n); });
  var edgeColour = new Map(data.edges.map(function (e) { return [e.id, e.color]; }));
  // vis-network draws the nodes, this script their labels (see placeLabels): no label for vis-network.
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var drawn = Object.assign({}, n);
    delete drawn.label;
    delete drawn.font;
    return drawn;
  }));
  var edges = new vis.DataSet(data.edges);
  var nodesView = new vis.DataView(nodes, {filter: function (n) { return !hidden.has(n.hkGroup); }});
  var edgesView = new vis.DataView(edges, {filter: function (e) {
    return !hidden.has(groupOf.get(e.from)) && !hidden.has(groupOf.get(e.to)); }});
  var container = document.getElementById("hk-network");
  var network = new vis.Network(container, {nodes: nodesView, edges: edgesView}, data.options);
  var canvas = container.querySelector("canvas");
  var details = document.getElementById("hk-details");
  var hint = details.textContent;
  var input = document.getElementById("hk-search");
  var matches = document.getElementById("hk-matches");
  var FADED = {background: "#eeeeee", border: "#dddddd",
               highlight: {background: "#eeeeee", border: "#dddddd"},
               hover: {background: "#eeeeee", border: "#dddddd"}};
  var state = {highlighted: null, kept: null, hovered: null, drawn: false, labels: [], scale: null};

  // --- labels: shown greedily by importance (node size), each only where it overlaps no label
  // already shown; the others appear when zooming in makes room, or on hover.
  var FACE = 'system-ui,-apple-system,"Segoe UI",Roboto,sans-serif';
  var LABEL_PX = [11, 16];  // label font size on screen: smallest and largest
  var CAPTION_PX = 13;
  var FREE = 3;  // how many of the most important labels may cover other nodes
  var caption = container.dataset.isolated || "";
  var degree = new Map(data.nodes.map(function (n) { return [n.id, 0]; }));
  data.edges.forEach(function (e) {
    if (e.from !== e.to) { degree.set(e.from, degree.get(e.from) + 1); degree.set(e.to, degree.get(e.to) + 1); }
  });
  var isolated = data.nodes.filter(function (n) { return degree.get(n.id) === 0; }).map(function (n) { return n.id; });
  var byImportance = data.nodes.map(function (n) { return n.id; }).sort(function (a, b) {
    var na = original.get(a), nb = original.get(b);
    return nb.size - na.size || (na.hkName < nb.hkName ? -1 : na.hkName > nb.hkName ? 1 : 0);
  });
  var widths = new Map();

  function textWidth(ctx, text, px, weight) {
    var key = weight + "|" + px + "|" + text;
    if (!widths.has(key)) {
      ctx.font = weight + " " + px + "px " + FACE;
      widths.set(key, Math.ceil(ctx.measureText(text).width));
    }
    return widths.get(key);
  }
  function overlaps(a, b) {
    return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  }
  function fits(box, shown, width, height) {
    return box.x >= 0 && box.y >= 0 && box.x + box.width <= width && box.y + box.height <= height &&
      !shown.some(function (other) { return overlaps(box, other); });
  }
  // Whether *box* covers a node other than *id*: discs on screen, looked up in cells of CELL pixels.
  var CELL = 32, DOT = 1.5;
  function discs(ids, positions, scale) {
    var cells = new Map();
    ids.forEach(function (id) {
      var p = network.canvasToDOM(positions[id]), r = original.get(id).size * scale;
      if (r < DOT) { return; }  // a speck at this zoom: a label may cover it
      var disc = {id: id, x: p.x, y: p.y, r: r};
      for (var i = Math.floor((p.x - r) / CELL); i <= Math.floor((p.x + r) / CELL); i++) {
        for (var j = Math.floor((p.y - r) / CELL); j <= Math.floor((p.y + r) / CELL); j++) {
          var key = i + "," + j;
          if (!cells.has(key)) { cells.set(key, []); }
          cells.get(key).push(disc);
        }
      }
    });
    return cells;
  }
  function coversNode(box, id, cells) {
    for (var i = Math.floor(box.x / CELL); i <= Math.floor((box.x + box.width) / CELL); i++) {
      for (var j = Math.floor(box.y / CELL); j <= Math.floor((box.y + box.height) / CELL); j++) {
        var found = cells.get(i + "," + j) || [];
        for (var k = 0; k < found.length; k++) {
          var d = found[k];
          var dx = d.x - Math.max(box.x, Math.min(d.x, box.x + box.width));
          var dy = d.y - Math.max(box.y, Math.min(d.y, box.y + box.height));
          if (d.id !== id && dx * dx + dy * dy < d.r * d.r) { return true; }
        }
      }
    }
    return false;
  }
  function labelPx(n, scale) {
    return Math.round(Math.min(LABEL_PX[1], Math.max(LABEL_PX[0], n.font.size * scale)));
  }
  // Boxes around a node of screen radius r at p, for a label w × h: below, above, right, left.
  function around(p, r, w, h) {
    return [[p.x - w / 2, p.y + r + 2], [p.x - w / 2, p.y - r - 2 - h],
            [p.x + r + 4, p.y - h / 2], [p.x - r - 4 - w, p.y - h / 2]];
  }
  function placeLabels(ctx) {
    var width = canvas.clientWidth, height = canvas.clientHeight, scale = network.getScale();
    var ids = nodesView.getIds(), visible = new Set(ids), positions = network.getPositions(ids);
    var cells = discs(ids, positions, scale);
    var shown = [];
    var grid = isolated.filter(function (id) { return visible.has(id); });
    if (caption && grid.length) {  // the caption above the grid of nodes without a tie comes first
      var left = Infinity, top = Infinity;
      grid.forEach(function (id) {
        var p = network.canvasToDOM(positions[id]), r = original.get(id).size * scale;
        left = Math.min(left, p.x - r);
        top = Math.min(top, p.y - r);
      });
      var w = textWidth(ctx, caption, CAPTION_PX, "600"), h = Math.ceil(CAPTION_PX * 1.3);
      var box = {id: null, text: caption, x: left, y: top - h - 4, width: w, height: h, font: CAPTION_PX,
                 weight: "600", faded: state.highlighted !== null, caption: true};
      if (fits(box, shown, width, height)) { shown.push(box); }
    }
    var order = byImportance;
    if (state.highlighted !== null) {  // the selected node, then its neighbours, then the rest
      order = [state.highlighted].concat(byImportance.filter(function (id) {
        return id !== state.highlighted && state.kept.has(id); }), byImportance.filter(function (id) {
        return !state.kept.has(id); }));
    }
    // The first labels (the largest nodes, or the selected one) may cover small nodes; the others
    // only go where they hide neither a label nor a node.
    var free = state.highlighted !== null ? 1 : FREE;
    order.forEach(function (id, rank) {
      if (!visible.has(id)) { return; }
      var n = original.get(id), p = network.canvasToDOM(positions[id]), r = n.size * scale;
      if (p.x + r < 0 || p.y + r < 0 || p.x - r > width || p.y - r > height) { return; }
      var px = labelPx(n, scale), w = textWidth(ctx, n.label, px, "400"), h = Math.ceil(px * 1.3);
      var spots = around(p, r, w, h);
      for (var i = 0; i < spots.length; i++) {
        var box = {id: id, text: n.label, x: spots[i][0], y: spots[i][1], width: w, height: h, font: px,
                   weight: "400", faded: state.highlighted !== null && !state.kept.has(id), caption: false};
        if (fits(box, shown, width, height) && (rank < free || !coversNode(box, id, cells))) {
          shown.push(box);
          return;
        }
      }
    });
    return shown;
  }
  function drawLabel(ctx, box, framed) {
    ctx.font = box.weight + " " + box.font + "px " + FACE;
    if (framed) {
      ctx.fillStyle = "rgba(255,255,255,0.92)";
      ctx.strokeStyle = "#888888";
      ctx.lineWidth = 1;
      ctx.fillRect(box.x - 3, box.y, box.width + 6, box.height);
      ctx.strokeRect(box.x - 3, box.y, box.width + 6, box.height);
    } else {
      ctx.strokeStyle = box.faded ? "rgba(255,255,255,0.5)" : "#ffffff";
      ctx.lineWidth = 3;
      ctx.strokeText(box.text, box.x, box.y + box.height / 2);
    }
    ctx.fillStyle = box.faded ? "rgba(0,0,0,0.3)" : "#222222";
    ctx.fillText(box.text, box.x, box.y + box.height / 2);
  }
  function drawLabels(ctx) {
    var ratio = canvas.width / Math.max(canvas.clientWidth, 1);
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);  // screen pixels: labels keep their size when zooming
    ctx.textAlign = "left";
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    state.labels = placeLabels(ctx);
    state.labels.forEach(function (box) { drawLabel(ctx, box, false); });
    var id = state.hovered;
    if (id !== null && nodesView.get(id) !== null && !state.labels.some(function (b) { return b.id === id; })) {
      var n = original.get(id), scale = network.getScale(), px = labelPx(n, scale);
      var w = textWidth(ctx, n.label, px, "400"), h = Math.ceil(px * 1.3);
      var spot = around(network.canvasToDOM(network.getPosition(id)), n.size * scale, w, h)[0];
      var x = Math.max(3, Math.min(spot[0], canvas.clientWidth - w - 3));
      drawLabel(ctx, {text: n.label, x: x, y: spot[1], width: w, height: h, font: px, weight: "400", faded: false},
                true);
    }
    ctx.restore();
  }
  // The size legend's circles: as large as a node of that radius at the zoom of the view.
  function sizeLegend() {
    var scale = network.getScale();
    if (scale === state.scale) { return; }
    state.scale = scale;
    document.querySelectorAll(".hk-circle[data-radius]").forEach(function (circle) {
      var d = Math.max(2, 2 * Number(circle.dataset.radius) * scale).toFixed(1) + "px";
      circle.style.width = d;
      circle.style.height = d;
    });
  }

  function restore() {
    if (state.highlighted === null) { return; }
    nodes.update(data.nodes.map(function (n) { return {id: n.id, color: n.color}; }));
    edges.update(data.edges.map(function (e) { return {id: e.id, color: e.color}; }));
    state.highlighted = null;
    state.kept = null;
  }
  function clear() {
    restore();
    network.unselectAll();
    details.textContent = hint;
  }
  function highlight(id, focus) {
    restore();
    var keep = new Set(network.getConnectedNodes(id));
    keep.add(id);
    nodes.update(data.nodes.map(function (n) { return keep.has(n.id) ? {id: n.id} : {id: n.id, color: FADED}; }));
    edges.update(data.edges.map(function (e) {
      return (e.from === id || e.to === id) ? {id: e.id, color: edgeColour.get(e.id)}
                                            : {id: e.id, color: {color: "rgba(200,200,200,0.25)"}};
    }));
    state.highlighted = id;
    state.kept = keep;
    network.selectNodes([id]);
    details.textContent = original.get(id).title;
    if (focus) { network.focus(id, {scale: Math.max(network.getScale(), 0.6), animation: false}); }
  }
  function search(text) {
    var query = text.trim().toLocaleLowerCase();
    matches.replaceChildren();
    if (!query) { return []; }
    var found = nodesView.get({filter: function (n) {
      return n.hkName.toLocaleLowerCase().indexOf(query) >= 0; }});
    found.sort(function (a, b) { return a.hkName.localeCompare(b.hkName); });
    found.slice(0, 15).forEach(function (n) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = n.hkName;
      button.addEventListener("click", function () { highlight(n.id, true); });
      li.appendChild(button);
      matches.appendChild(li);
    });
    if (found.length > 15) {
      var more = document.createElement("li");
      more.textContent = matches.dataset.more.replace("{n}", String(found.length - 15));
      matches.appendChild(more);
    }
    return found;
  }
  input.addEventListener("input", function () { search(input.value); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var found = search(input.value);
      if (found.length) { highlight(found[0].id, true); }
    } else if (event.key === "Escape") {
      input.value = ""; search(""); clear();
    }
  });
  document.querySelectorAll("input[data-group]").forEach(function (box) {
    box.addEventListener("change", function () {
      if (box.checked) { hidden.delete(box.dataset.group); } else { hidden.add(box.dataset.group); }
      if (state.highlighted !== null && hidden.has(groupOf.get(state.highlighted))) { clear(); }
      nodesView.refresh();
      edgesView.refresh();
      search(input.value);
    });
  });
  document.getElementById("hk-reset").addEventListener("click", function () {
    clear(); network.fit({animation: false});
  });
  network.on("click", function (params) {
    if (params.nodes.length) { highlight(params.nodes[0], false); }
    else if (params.edges.length) { restore(); details.textContent = edges.get(params.edges[0]).title; }
    else { clear(); }
  });
  network.on("hoverNode", function (params) { state.hovered = params.node; network.redraw(); });
  network.on("blurNode", function () { state.hovered = null; network.redraw(); });
  network.on("afterDrawing", function (ctx) {
    drawLabels(ctx);
    sizeLegend();
    state.drawn = true;
  });
  network.fit({animation: false});
  window.hkView = {network: network, nodes: nodes, edges: edges, nodesView: nodesView, state: state,
                   highlight: highlight, clear: clear, search: search};
  // The labels drawn now, in CSS pixels of the canvas: what the browser tests measure.
  window.hkLabels = function () {
    return state.labels.map(function (box) {
      return {id: box.id, text: box.text, x: box.x, y: box.y, width: box.width, height: box.height,
              font: box.font, faded: box.faded, caption: box.caption};
    });
  };
})();
