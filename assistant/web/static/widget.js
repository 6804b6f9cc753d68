/*
 * Pressroom chat widget. Add to any page:
 *   <script src="http://HOST:PORT/widget.js" data-title="Ask the press archive" async></script>
 * Options (data- attributes): data-title, data-placeholder, data-token (a short-lived
 * token from your page's server, when the Pressroom API requires one), data-position
 * ("right" or "left").
 * Everything lives in a Shadow DOM, so the page's styles and the widget's never mix.
 * Text from the archive is only ever set with textContent: a release may contain HTML.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) {
    var all = document.querySelectorAll('script[src*="widget.js"]');
    script = all[all.length - 1];
  }
  if (!script || script.dataset.pressroomMounted) return;
  script.dataset.pressroomMounted = "1";
  var base = new URL(script.src, document.baseURI).origin;
  var title = script.dataset.title || "Ask the press archive";
  var placeholder = script.dataset.placeholder || "Ask a question…";
  var token = script.dataset.token || "";
  var side = script.dataset.position === "left" ? "left" : "right";
  var history = [];

  var host = document.createElement("div");
  host.id = "pressroom-widget";
  document.body.appendChild(host);
  var root = host.attachShadow({ mode: "open" });

  var style = document.createElement("style");
  style.textContent = [
    ":host { all: initial; }",
    ".launcher { position: fixed; bottom: 20px; " + side + ": 20px; z-index: 2147483000;",
    "  border: 0; border-radius: 24px; padding: 12px 18px; background: #1f4e79; color: #fff;",
    "  font: 600 15px system-ui, sans-serif; cursor: pointer; box-shadow: 0 4px 14px rgba(0,0,0,.25); }",
    ".panel { position: fixed; bottom: 80px; " + side + ": 20px; z-index: 2147483000; width: min(380px, calc(100vw - 40px));",
    "  height: min(560px, calc(100vh - 120px)); display: none; flex-direction: column; background: #fff;",
    "  border-radius: 12px; box-shadow: 0 8px 30px rgba(0,0,0,.3); font: 14px/1.45 system-ui, sans-serif; color: #1d1d1f; }",
    ".panel.open { display: flex; }",
    ".head { padding: 12px 14px; background: #1f4e79; color: #fff; font-weight: 600; border-radius: 12px 12px 0 0;",
    "  display: flex; justify-content: space-between; align-items: center; }",
    ".head button { background: none; border: 0; color: #fff; font-size: 18px; cursor: pointer; }",
    ".log { flex: 1; overflow-y: auto; padding: 12px; }",
    ".msg { margin: 0 0 12px; padding: 8px 10px; border-radius: 8px; white-space: pre-wrap; }",
    ".user { background: #e8f0f8; margin-left: 30px; }",
    ".bot { background: #f4f4f5; margin-right: 10px; }",
    ".refused { background: #fff4e5; }",
    ".sources { margin: 6px 0 0; padding-left: 18px; font-size: 13px; }",
    ".sources li { margin-bottom: 4px; }",
    ".window { color: #666; font-size: 12px; margin-top: 4px; }",
    "a { color: #1f4e79; }",
    "form { display: flex; border-top: 1px solid #ddd; }",
    "input { flex: 1; border: 0; padding: 12px; font: inherit; outline: none; border-radius: 0 0 0 12px; }",
    "form button { border: 0; background: #1f4e79; color: #fff; padding: 0 16px; font: inherit; cursor: pointer;",
    "  border-radius: 0 0 12px 0; }",
  ].join("\n");
  root.appendChild(style);

  var launcher = el("button", "launcher", title);
  launcher.setAttribute("aria-expanded", "false");
  var panel = el("div", "panel");
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", title);
  var head = el("div", "head");
  head.appendChild(el("span", "", title));
  var close = el("button", "", "×");
  close.setAttribute("aria-label", "Close");
  head.appendChild(close);
  var log = el("div", "log");
  log.setAttribute("aria-live", "polite");
  var form = document.createElement("form");
  var input = document.createElement("input");
  input.placeholder = placeholder;
  input.setAttribute("aria-label", placeholder);
  input.maxLength = 2000;
  var send = el("button", "", "Ask");
  send.type = "submit";
  form.appendChild(input);
  form.appendChild(send);
  panel.appendChild(head);
  panel.appendChild(log);
  panel.appendChild(form);
  root.appendChild(launcher);
  root.appendChild(panel);

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function toggle(open) {
    panel.classList.toggle("open", open);
    launcher.setAttribute("aria-expanded", String(open));
    if (open) input.focus();
  }
  launcher.addEventListener("click", function () { toggle(!panel.classList.contains("open")); });
  close.addEventListener("click", function () { toggle(false); });

  function viewerUrl(citation) {
    return base + citation.viewer;
  }

  function previousQuestion() {
    for (var i = history.length - 1; i >= 0; i--) {
      if (history[i].role === "user") return history[i].content;
    }
    return "";
  }

  function showAnswer(data) {
    var box = el("div", "msg bot" + (data.refused ? " refused" : ""));
    var byNumber = {};
    (data.citations || []).forEach(function (c) { byNumber[c.n] = c; });
    data.answer.split(/(\[\d+\])/).forEach(function (part) {
      var m = /^\[(\d+)\]$/.exec(part);
      if (!m) { box.appendChild(document.createTextNode(part)); return; }
      var c = byNumber[Number(m[1])];
      if (!c) return;
      var a = el("a", "citation", "[" + c.n + "]");
      a.href = viewerUrl(c);
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      box.appendChild(a);
    });
    if (data.refused && data.refusal && data.refusal.detail) {
      box.appendChild(el("div", "window", "Why: " + data.refusal.detail));
    }
    var it = data.interpreted || {};
    var query = (it.query || "").trim(), asked = (data.question || "").trim();
    if (query && query !== asked) {
      // The rules search a follow-up with words carried from the question before: search
      // terms, not words for a reader. A model's rewrite is a plain question.
      var earlier = previousQuestion();
      box.appendChild(el("div", "window", query.indexOf(asked) === 0
        ? (earlier ? "Read as a follow-up to your question “" + earlier + "”."
                   : "Read as a follow-up to your earlier question.")
        : "Read as: " + query));
    }
    if (it.date_from || it.date_to) {
      box.appendChild(el("div", "window", "Searched releases from " + (it.date_from || "the first") +
        " to " + (it.date_to || "the last")));
    }
    if (data.citations && data.citations.length) {
      var list = el("ol", "sources");
      data.citations.forEach(function (c) {
        var li = document.createElement("li");
        li.value = c.n;
        var a = el("a", "", c.title || c.release_id);
        a.href = viewerUrl(c);
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        li.appendChild(a);
        li.appendChild(document.createTextNode(" (" + (c.published || "undated") + (c.place ? ", " + c.place : "") + ")"));
        if (!c.supported) li.appendChild(el("strong", "", " — not supported by the passage"));
        list.appendChild(li);
      });
      box.appendChild(list);
    }
    log.appendChild(box);
    log.scrollTop = log.scrollHeight;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var question = input.value.trim();
    if (!question) return;
    input.value = "";
    log.appendChild(el("div", "msg user", question));
    var waiting = el("div", "msg bot", "…");
    log.appendChild(waiting);
    log.scrollTop = log.scrollHeight;
    var headers = { "Content-Type": "application/json" };
    if (token) headers.Authorization = "Bearer " + token;
    var body = JSON.stringify({ question: question, history: history.slice(-10) });
    ask(body, headers, waiting, question, true);
  });

  // A 503 means every answer slot is taken: say so, wait as long as Retry-After says,
  // and try once more.
  function ask(body, headers, waiting, question, retry) {
    fetch(base + "/api/ask", { method: "POST", headers: headers, body: body })
      .then(function (response) {
        if (response.status === 503 && retry) {
          var seconds = Number(response.headers.get("Retry-After")) || 1;
          waiting.textContent = "The server is busy; retrying…";
          setTimeout(function () { ask(body, headers, waiting, question, false); }, seconds * 1000);
          return null;
        }
        return response.json().then(function (data) {
          if (!response.ok) throw new Error(data.detail || ("HTTP " + response.status));
          return data;
        });
      })
      .then(function (data) {
        if (!data) return;
        waiting.remove();
        showAnswer(data);
        history.push({ role: "user", content: question });
      })
      .catch(function (error) {
        waiting.className = "msg bot refused";
        waiting.textContent = "Sorry, the archive could not be asked: " + error.message;
      });
  }
})();
