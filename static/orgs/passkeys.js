/* Passkeys (WebAuthn) for Mognad: register one on the passkeys page, use one at the second step.
 *
 * A static file (the Content-Security-Policy allows no inline script). The page's <script> tag
 * carries the addresses and the CSRF token as data attributes; the server makes the options and
 * verifies the answers (mognad/orgs/passkeys.py). Binary fields travel as base64url text. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var csrf = script.getAttribute("data-csrf-token") || "";
  var status = document.getElementById("passkey-status");

  function say(text) { if (status) { status.textContent = text; } }

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) { base64 += "="; }
    var raw = atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) { raw += String.fromCharCode(bytes[i]); }
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.error || response.statusText); }
        return data;
      });
    });
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return { type: item.type, id: toBytes(item.id), transports: item.transports };
    });
  }

  function register(form) {
    var name = form.querySelector("[name=name]").value;
    say(script.getAttribute("data-text-working"));
    post(script.getAttribute("data-options-url")).then(function (options) {
      options.challenge = toBytes(options.challenge);
      options.user.id = toBytes(options.user.id);
      options.excludeCredentials = descriptors(options.excludeCredentials);
      return navigator.credentials.create({ publicKey: options });
    }).then(function (credential) {
      var response = credential.response;
      return post(script.getAttribute("data-register-url"), {
        name: name,
        credential: {
          id: credential.id,
          rawId: toText(credential.rawId),
          type: credential.type,
          response: {
            clientDataJSON: toText(response.clientDataJSON),
            attestationObject: toText(response.attestationObject),
            transports: response.getTransports ? response.getTransports() : []
          },
          clientExtensionResults: credential.getClientExtensionResults(),
          authenticatorAttachment: credential.authenticatorAttachment
        }
      });
    }).then(function (result) {
      window.location.assign(result.redirect);
    }).catch(function (error) {
      say(error && error.message ? error.message : script.getAttribute("data-text-failed"));
    });
  }

  function authenticate() {
    say(script.getAttribute("data-text-working"));
    post(script.getAttribute("data-options-url")).then(function (options) {
      options.challenge = toBytes(options.challenge);
      options.allowCredentials = descriptors(options.allowCredentials);
      return navigator.credentials.get({ publicKey: options });
    }).then(function (credential) {
      var response = credential.response;
      return post(script.getAttribute("data-verify-url"), {
        next: script.getAttribute("data-next") || "",
        credential: {
          id: credential.id,
          rawId: toText(credential.rawId),
          type: credential.type,
          response: {
            clientDataJSON: toText(response.clientDataJSON),
            authenticatorData: toText(response.authenticatorData),
            signature: toText(response.signature),
            userHandle: response.userHandle ? toText(response.userHandle) : null
          },
          clientExtensionResults: credential.getClientExtensionResults(),
          authenticatorAttachment: credential.authenticatorAttachment
        }
      });
    }).then(function (result) {
      window.location.assign(result.redirect);
    }).catch(function (error) {
      say(error && error.message ? error.message : script.getAttribute("data-text-failed"));
    });
  }

  var form = document.getElementById("passkey-register");
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      register(form);
    });
  }
  var button = document.getElementById("passkey-use");
  if (button) {
    button.addEventListener("click", function () { authenticate(); });
  }
  if (!window.PublicKeyCredential) {
    say(script.getAttribute("data-text-unsupported"));
  }
})();
