(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("hk-data").textContent);
  var hidden = new Set();
  var groupOf = new Map();
  var original = new Map();
  data.nodes.forEach(function (n) { groupOf.set(n.id, n.hkGroup); original.set(n.id, n); });
  var edgeColour = new Map(data.edges.map(function (e) { return [e.id, e.color]; }));
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var nodesView = new vis.DataView(nodes, {filter: function (n) { return !hidden.has(n.hkGroup); }});
  var edgesView = new vis.DataView(edges, {filter: function (e) {
    return !hidden.has(groupOf.get(e.from)) && !hidden.has(groupOf.get(e.to)); }});
  var network = new vis.Network(document.getElementById("hk-network"),
                                {nodes: nodesView, edges: edgesView}, data.options);
  var details = document.getElementById("hk-details");
  var hint = details.textContent;
  var input = document.getElementById("hk-search");
  var matches = document.getElementById("hk-matches");
  var FADED = {background: "#eeeeee", border: "#dddddd",
               highlight: {background: "#eeeeee", border: "#dddddd"},
               hover: {background: "#eeeeee", border: "#dddddd"}};
  var state = {highlighted: null, drawn: false};

  function restore() {
    if (state.highlighted === null) { return; }
    nodes.update(data.nodes.map(function (n) { return {id: n.id, color: n.color, font: n.font}; }));
    edges.update(data.edges.map(function (e) { return {id: e.id, color: e.color}; }));
    state.highlighted = null;
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
    nodes.update(data.nodes.map(function (n) {
      return keep.has(n.id) ? {id: n.id} : {id: n.id, color: FADED,
        font: Object.assign({}, n.font, {color: "rgba(0,0,0,0.15)"})};
    }));
    edges.update(data.edges.map(function (e) {
      return (e.from === id || e.to === id) ? {id: e.id, color: edgeColour.get(e.id)}
                                            : {id: e.id, color: {color: "rgba(200,200,200,0.25)"}};
    }));
    state.highlighted = id;
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
  network.once("afterDrawing", function () { state.drawn = true; });
  network.fit({animation: false});
  window.hkView = {network: network, nodes: nodes, edges: edges, nodesView: nodesView, state: state,
                   highlight: highlight, clear: clear, search: search};
})();
