// Optional diagnostics for Mognad. This file is part of a page only when the visitor allowed
// diagnostics (see /cookies/); the server decides, so without consent it is never loaded.
// It reports, first-party and only to /diagnostics/: the browser's name and major version (once a
// day) and client-side errors (a shortened message and where in our code, never a query string).
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch || !window.JSON) {
    return;
  }
  var endpoint = script.getAttribute("data-endpoint");
  var token = script.getAttribute("data-csrf-token") || "";
  var MAX_ERRORS_PER_PAGE = 5;
  var MESSAGE_LENGTH = 200;
  var sent = 0;
  var seen = {};

  var RULES = [
    ["Edge", /Edg(?:e|A|iOS)?\/(\d+)/],
    ["Opera", /OPR\/(\d+)/],
    ["Samsung Internet", /SamsungBrowser\/(\d+)/],
    ["Firefox", /(?:Firefox|FxiOS)\/(\d+)/],
    ["Chrome", /(?:Chrome|CriOS)\/(\d+)/],
    ["Safari", /Version\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari\//]
  ];

  function browser() {
    var agent = navigator.userAgent || "";
    for (var i = 0; i < RULES.length; i += 1) {
      var match = RULES[i][1].exec(agent);
      if (match) {
        return { name: RULES[i][0], version: Math.min(parseInt(match[1], 10) || 0, 999) };
      }
    }
    return { name: "Other", version: 0 };
  }

  function clean(text) {
    return String(text || "")
      .replace(/([a-z][a-z0-9+.-]*:\/\/[^\s?#]*)[?#]\S*/gi, "$1")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, MESSAGE_LENGTH);
  }

  function ownPath(url) {
    try {
      var parsed = new URL(url, window.location.href);
      return parsed.origin === window.location.origin ? parsed.pathname : "";
    } catch (error) {
      return "";
    }
  }

  function send(payload) {
    var found = browser();
    payload.browser = found.name;
    payload.version = found.version;
    window.fetch(endpoint, {
      method: "POST",
      credentials: "same-origin",
      keepalive: true,
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(payload)
    }).catch(function () {
      // Diagnostics must never disturb the page.
    });
  }

  function reportError(message, source, line) {
    var text = clean(message);
    var path = ownPath(source);
    var where = line > 0 ? Math.min(Math.floor(line), 10000000) : 0;
    var key = text + "|" + path + "|" + where;
    if (!text || sent >= MAX_ERRORS_PER_PAGE || seen[key]) {
      return;
    }
    seen[key] = true;
    sent += 1;
    send({ kind: "error", message: text, source: path, line: where });
  }

  window.addEventListener("error", function (event) {
    if (event.message) {  // failed image or script loads carry no message: not ours to report
      reportError(event.message, event.filename, event.lineno);
    }
  });

  window.addEventListener("unhandledrejection", function (event) {
    var reason = event.reason;
    var text = reason && reason.message ? reason.message : String(reason);
    reportError("Unhandled rejection: " + text, "", 0);
  });

  if (script.getAttribute("data-report-visit") === "true") {
    send({ kind: "visit" });
  }
})();
