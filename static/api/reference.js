/* Starts Swagger UI on /api/v1/docs from the settings in the page's JSON data block (no inline
   script: the Content-Security-Policy forbids it). Requests carry the page's CSRF token, so "Try it
   out" also works with the visitor's session. */
(function () {
  "use strict";
  var data = document.getElementById("swagger-settings");
  var target = document.getElementById("swagger-ui");
  if (!data || !target || typeof SwaggerUIBundle === "undefined") {
    return;
  }
  var config = JSON.parse(data.textContent);
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
  config.domNode = target;
  config.presets = [SwaggerUIBundle.presets.apis];
  config.layout = "BaseLayout";
  if (csrf) {
    config.requestInterceptor = function (request) {
      request.headers["X-CSRFToken"] = csrf.value;
      return request;
    };
  }
  SwaggerUIBundle(config);
})();
