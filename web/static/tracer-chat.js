/* Tracer web chat: pick the language (en/fr/es) and start the rasa-webchat widget.
 *
 * Load after rasa-webchat.js, from the Tracer server:
 *   <script src="https://BOT/webchat/static/rasa-webchat.js" defer></script>
 *   <script src="https://BOT/webchat/static/tracer-chat.js" defer
 *           data-selector="#chat" data-lang="fr"></script>
 * Attributes (all optional):
 *   data-selector    element to fill with an always-open chat; without it a launcher bubble
 *                    appears in the corner and opens by itself
 *   data-lang        force a language; else ?lang= in the URL, the page's <html lang>,
 *                    the browser's language, then English
 *   data-socket-url  Rasa server; defaults to the server this script came from
 * See docs/webchat.md.
 */
(function () {
  "use strict";

  var SUPPORTED = ["en", "fr", "es"];
  var TEXT = {
    en: {
      title: "Tracer — training follow-up",
      subtitle: "Your answers help improve the training",
      hint: "Type your answer…",
      connecting: "Connecting…",
      page: "Tracer — training follow-up chat"
    },
    fr: {
      title: "Tracer — suivi de formation",
      subtitle: "Vos réponses aident à améliorer la formation",
      hint: "Écrivez votre réponse…",
      connecting: "Connexion…",
      page: "Tracer — discussion de suivi de formation"
    },
    es: {
      title: "Tracer — seguimiento de la formación",
      subtitle: "Sus respuestas ayudan a mejorar la formación",
      hint: "Escriba su respuesta…",
      connecting: "Conectando…",
      page: "Tracer — chat de seguimiento de la formación"
    }
  };

  var script = document.currentScript;
  var attr = function (name) {
    return script ? script.getAttribute(name) : null;
  };

  /** "fr-CA" → "fr"; null unless it is a language Tracer speaks. */
  function supported(value) {
    var code = String(value || "").trim().slice(0, 2).toLowerCase();
    return SUPPORTED.indexOf(code) >= 0 ? code : null;
  }

  /** The chat language: data-lang, ?lang=, <html lang>, the browser, else English. */
  function chooseLanguage() {
    var query = new URLSearchParams(window.location.search).get("lang");
    return (
      supported(attr("data-lang")) ||
      supported(query) ||
      supported(document.documentElement.getAttribute("lang")) ||
      supported(navigator.language) ||
      "en"
    );
  }

  /** The Rasa server: data-socket-url, else the origin that served this script. */
  function socketUrl() {
    if (attr("data-socket-url")) return attr("data-socket-url");
    var src = script && script.src ? script.src : window.location.href;
    return new URL(src, window.location.href).origin;
  }

  /** Short pauses between bot messages: readable, but no long "typing" waits. */
  function delay(message) {
    return Math.min(800, 150 + 4 * String(message || "").length);
  }

  function start() {
    var lang = chooseLanguage();
    var text = TEXT[lang];
    var selector = attr("data-selector");
    var host = selector ? document.querySelector(selector) : null;
    var embedded = Boolean(host);
    if (host) host.classList.add("tracer-chat"); // our CSS overrides hang on this class
    if (embedded) {
      document.documentElement.setAttribute("lang", lang);
      document.title = text.page;
      var heading = document.getElementById("chat-title");
      if (heading) heading.textContent = text.page;
    }
    if (!window.WebChat || !window.WebChat.default) {
      console.warn("Tracer web chat: rasa-webchat.js did not load (run scripts/setup-web.sh)");
      return;
    }
    // An invitation link (?code=XXXXXXXXXX, from `tracer invite`) registers the trainee to
    // their cohort: the code travels as an entity of the greeting, never in a visible message.
    var code = String(new URLSearchParams(window.location.search).get("code") || "")
      .trim().toUpperCase();
    var greeting = { language: lang };
    if (/^[A-HJ-NP-Z2-9]{10}$/.test(code)) greeting.invite_code = code;
    window.WebChat.default(
      {
        embedded: embedded,
        initPayload: "/greet" + JSON.stringify(greeting),
        customData: { language: lang },
        socketUrl: socketUrl(),
        socketPath: "/socket.io/",
        title: text.title,
        subtitle: text.subtitle,
        inputTextFieldHint: text.hint,
        connectingText: text.connecting,
        params: { storage: "local" },
        customMessageDelay: delay,
        showFullScreenButton: false,
        showMessageDate: false,
        hideWhenNotConnected: false,
        docViewer: false,
        mainColor: "#1f5f8b",
        userBackgroundColor: "#1f5f8b",
        userTextColor: "#ffffff"
      },
      host
    );
    if (!embedded) openOnce();
    makeAccessible(text);
  }

  /** The widget's quick replies are plain <div>s: make them keyboard buttons, and have screen
   *  readers announce new bot messages. Runs again whenever the widget re-renders. */
  function makeAccessible(text) {
    var patch = function () {
      var log = document.querySelector(".rw-messages-container");
      if (log && !log.hasAttribute("role")) {
        log.setAttribute("role", "log");
        log.setAttribute("aria-live", "polite");
      }
      var input = document.querySelector(".rw-new-message");
      if (input && !input.hasAttribute("aria-label")) input.setAttribute("aria-label", text.hint);
      document.querySelectorAll(".rw-reply:not([role])").forEach(function (reply) {
        reply.setAttribute("role", "button");
        reply.setAttribute("tabindex", "0");
        reply.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            reply.click();
          }
        });
      });
    };
    new MutationObserver(patch).observe(document.body, { childList: true, subtree: true });
    patch();
  }

  /** Without a host element the widget is a launcher bubble: open it once per browser tab. */
  function openOnce() {
    var key = "tracer-chat-opened";
    if (window.sessionStorage.getItem(key)) return;
    var tries = 0;
    var timer = window.setInterval(function () {
      var launcher = document.querySelector(".rw-launcher");
      tries += 1;
      if (launcher || tries > 50) window.clearInterval(timer);
      if (launcher && !document.querySelector(".rw-conversation-container")) {
        launcher.click();
        window.sessionStorage.setItem(key, "1");
      }
    }, 100);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
