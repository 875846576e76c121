/* results: draw the Vega-Lite charts of a results page.
 * Each chart is a <div data-chart="ID"> next to <script type="application/json" id="ID"> holding
 * its specification (Django's json_script). Drawn with the CSP-safe expression interpreter, so no
 * eval is needed. Without JavaScript the data table and summary beside each chart remain. */
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
  var nodes = document.querySelectorAll("[data-chart]");
  Array.prototype.forEach.call(nodes, function (node) {
    var source = document.getElementById(node.getAttribute("data-chart"));
    if (!source) { return; }
    var spec;
    try { spec = JSON.parse(source.textContent); } catch (error) { return; }
    window.vegaEmbed(node, spec, options).catch(function () {
      node.classList.add("chart-failed");
    });
  });
})();
