/* The agents' chat console: queue, several chats at once, macros (type "/", kefu/macros.js),
   transfer, end. */
(function () {
  "use strict";
  var root = document.querySelector(".console");
  var lang = (root.dataset.lang || "zh").indexOf("zh") === 0 ? "zh" : "en";
  var T = JSON.parse(document.getElementById("console-strings").textContent || "{}");
  var csrf = (document.cookie.match(/csrftoken=([^;]+)/) || [])[1] || "";
  var panes = {}, socket = null, retry = 0;

  function el(tag, cls, text) { var n = document.createElement(tag); if (cls) n.className = cls; if (text) n.textContent = text; return n; }
  function uid() { return Date.now().toString(36) + Math.random().toString(36).slice(2, 8); }
  function send(payload) { if (socket && socket.readyState === 1) socket.send(JSON.stringify(payload)); }

  function connect() {
    socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws/desk/");
    socket.onopen = function () { retry = 0; loadQueue(); Object.keys(panes).forEach(loadHistory); };
    socket.onmessage = function (e) { receive(JSON.parse(e.data)); };
    socket.onclose = function () { setTimeout(connect, Math.min(30000, 500 * Math.pow(2, retry++))); };
  }

  function loadQueue() {
    fetch("/desk/chat/queue.json").then(function (r) { return r.json(); }).then(function (body) {
      var list = document.getElementById("queue");
      list.innerHTML = "";
      body.waiting.forEach(function (s) {
        var item = el("li", "queued");
        item.appendChild(el("strong", "", s.visitor));
        item.appendChild(el("span", "hint", " " + (s.ticket || "") + " · " + s.reason + " · " + s.waiting));
        var accept = el("button", "primary", T.accept || "Accept");
        accept.dataset.session = s.id;
        accept.addEventListener("click", function () { send({ type: "accept", session: s.id }); });
        item.appendChild(accept);
        list.appendChild(item);
      });
      if (!body.waiting.length) list.appendChild(el("li", "hint", T.empty || "—"));
      body.mine.forEach(function (id) { if (!panes[id]) openPane(id); });
    });
  }

  function openPane(id) {
    var tpl = document.getElementById("pane-template").content.firstElementChild.cloneNode(true);
    tpl.dataset.session = id;
    var tab = el("a", "", "#" + id);
    tab.href = "#"; tab.dataset.session = id;
    tab.addEventListener("click", function (e) { e.preventDefault(); focus(id); });
    document.getElementById("tabs").appendChild(tab);
    var holder = document.getElementById("panes");
    var empty = holder.querySelector(".empty"); if (empty) empty.remove();
    holder.appendChild(tpl);
    var pane = { node: tpl, tab: tab, seen: {} };
    panes[id] = pane;
    var box = tpl.querySelector("textarea");
    // Before the console's own Enter handler: Enter in an open macro list applies the macro.
    pane.picker = window.KefuMacros ? window.KefuMacros.attach(box, {
      ticket: function () { return pane.ticket || ""; },
      renderBase: root.dataset.macroRender,
      appliedNode: tpl.querySelector(".macro-applied"),
    }) : null;
    tpl.querySelector("form").addEventListener("submit", function (e) {
      e.preventDefault();
      var box = tpl.querySelector("textarea"), text = box.value.trim();
      if (!text) return;
      box.value = "";
      var payload = { type: "message", session: +id, id: uid(), text: text };
      var macro = pane.picker && pane.picker.macro();
      if (macro) { payload.macro = macro.id; pane.picker.clear(); }
      send(payload);
    });
    tpl.querySelector("textarea").addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); tpl.querySelector("form").requestSubmit(); }
      else send({ type: "typing", session: +id });
    });
    tpl.querySelector(".transfer").addEventListener("change", function (e) {
      var parts = e.target.value.split(":");
      if (parts.length !== 2) return;
      var payload = { type: "transfer", session: +id }; payload[parts[0]] = parts[1];
      send(payload); closePane(id);
    });
    tpl.querySelector(".end").addEventListener("click", function () { send({ type: "end", session: +id }); });
    fetch("/desk/chat/" + id + "/panel/").then(function (r) { return r.text(); }).then(function (html) { tpl.querySelector(".pane-side").innerHTML = html; });
    loadHistory(id);
    focus(id);
  }

  function loadHistory(id) {
    fetch("/desk/chat/" + id + "/history.json").then(function (r) { return r.json(); }).then(function (body) {
      var pane = panes[id];
      pane.ticket = body.ticket; pane.customer = body.customer; pane.order = body.order;
      body.lines.forEach(function (line) { render(id, line); });
    });
  }

  function closePane(id) {
    var pane = panes[id]; if (!pane) return;
    pane.node.remove(); pane.tab.remove(); delete panes[id];
  }
  function focus(id) {
    Object.keys(panes).forEach(function (k) { panes[k].node.hidden = k !== String(id); panes[k].tab.toggleAttribute("aria-current", k === String(id)); });
  }
  /* A file of the chat: a link, showing the picture when it is an image. */
  function fileLink(file) {
    var link = el("a", "chat-file", file.image ? "" : file.name);
    link.href = file.url; link.target = "_blank"; link.rel = "noopener";
    if (file.image) {
      var img = document.createElement("img");
      img.src = file.url; img.alt = file.name;
      img.addEventListener("load", function () {  // its height is known now: keep the end in view
        var log = link.closest(".log"); if (log) log.scrollTop = 1e9;
      });
      link.appendChild(img);
    }
    return link;
  }
  function render(id, line) {
    var pane = panes[id]; if (!pane || pane.seen[line.seq]) return;
    pane.seen[line.seq] = true;
    var item = el("li", "msg " + line.author);
    item.appendChild(el("small", "", line.author === "agent" ? line.agent : (T[line.author] || line.author)));
    item.appendChild(el("p", "", line.text));
    (line.files || []).forEach(function (f) { item.appendChild(fileLink(f)); });
    var log = pane.node.querySelector(".log");
    log.appendChild(item); log.scrollTop = 1e9;
    pane.node.querySelector(".typing").hidden = true;
  }

  function receive(msg) {
    if (msg.type === "queue_changed") loadQueue();
    else if (msg.type === "opened") openPane(msg.session);
    else if (msg.type === "message" && msg.session) render(msg.session, msg);
    else if (msg.type === "typing" && msg.from === "visitor" && panes[msg.session]) panes[msg.session].node.querySelector(".typing").hidden = false;
    else if (msg.type === "ended" && panes[msg.session]) {
      panes[msg.session].node.querySelector("form").replaceWith(el("p", "hint", T.ended || "Ended"));
    } else if (msg.type === "transferred") loadQueue();
    else if (msg.type === "error") alert(msg.detail && msg.detail[0] ? msg.detail[0].msg : msg.detail);
  }

  document.getElementById("availability").addEventListener("change", function (e) {
    var body = new FormData(); body.append("status", e.target.value);
    fetch(e.target.dataset.url, { method: "POST", body: body, headers: { "X-CSRFToken": csrf } });
  });
  connect();
})();
