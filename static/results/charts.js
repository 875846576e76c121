/* results: draw the Vega-Lite charts of a results page.
 * Each chart is a <div data-chart="ID"> next to <script type="application/json" id="ID"> holding
 * its specification (Django's json_script). Drawn with the CSP-safe expression interpreter, so no
 * eval is needed. Without JavaScript the data table and summary beside each chart remain.
 *
 * Sizes (mognad/results/charts/): a chart is fitted to its container, up to
 * usermeta.max_width, keeping square charts square; in a container narrower than
 * usermeta.narrow_below it draws usermeta.narrow (labels wrapped shorter), so that its labels keep
 * their size on a phone instead of being scaled down. Drawn again when the width changes. */
(function () {
  "use strict";
  if (!window.vegaEmbed || !window.vegaInterpreter) { return; }
  var options = {
    ast: true,
    expr: window.vegaInterpreter.expressionInterpreter,
    renderer: "svg",
    actions: false,
    // vega-embed and vega-tooltip would inject <style> elements, which the CSP forbids; their
    // rules live at the end of static/css/mognad.css instead.
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true, theme: "custom" }
  };

  function fitted(spec, width) {
    var meta = spec.usermeta || {};
    if (meta.narrow && width < meta.narrow_below) {
      spec = meta.narrow;
      meta = spec.usermeta || {};
    }
    var copy = {};
    Object.keys(spec).forEach(function (key) { copy[key] = spec[key]; });
    var size = Math.floor(Math.min(width, meta.max_width || width));
    copy.width = size;
    if (meta.square) { copy.height = size; }
    return copy;
  }

  var charts = [];
  function draw(chart) {
    var width = chart.node.clientWidth || chart.spec.width;
    if (width === chart.drawnAt) { return; }
    chart.drawnAt = width;
    if (chart.view) { chart.view.finalize(); }
    window.vegaEmbed(chart.node, fitted(chart.spec, width), options).then(function (result) {
      chart.view = result.view;
    }).catch(function () {
      chart.node.classList.add("chart-failed");
    });
  }

  var nodes = document.querySelectorAll("[data-chart]");
  Array.prototype.forEach.call(nodes, function (node) {
    var source = document.getElementById(node.getAttribute("data-chart"));
    if (!source) { return; }
    var spec;
    try { spec = JSON.parse(source.textContent); } catch (error) { return; }
    var chart = { node: node, spec: spec, drawnAt: null, view: null };
    charts.push(chart);
    draw(chart);
  });

  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) { window.clearTimeout(pending); }
    pending = window.setTimeout(function () {
      pending = null;
      charts.forEach(draw);
    }, 250);
  });
})();
