/* Kefu chat widget. Embed with:
   <script src="https://support.example.com/chat/widget.js" data-org="acme" data-order="PO-1" async></script>
   Vanilla JS, no dependencies. Messages carry ids, so nothing is lost or doubled across reconnects.
   The chat's token stays in localStorage: after a reload or on another page of the site the widget
   resumes the chat and the server replays this chat's own lines. While the panel is closed, an
   agent's lines show as a badge on the launcher and in the page title. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector('script[src*="/chat/widget.js"]');
  var base = new URL(script.src, location.href);
  var T_ALL = {{ strings|safe }};
  // The page's language (data-lang), else the browser's, if the widget speaks it; else English.
  // A page in Chinese or English gives way to a browser set to another of the widget's 12
  // languages: the site itself (and so its own pages) only has those two.
  var page = (script.dataset.lang || "").toLowerCase().slice(0, 2);
  var browser = (navigator.language || "zh").toLowerCase().slice(0, 2);
  var siteOnly = { zh: true, en: true };
  var lang = T_ALL[browser] && !siteOnly[browser] && (!page || siteOnly[page]) ? browser : page || browser;
  if (!T_ALL[lang]) lang = "en";
  var T = T_ALL[lang];
  var storeKey = "kefu-chat:" + base.host;
  var saved = JSON.parse(localStorage.getItem(storeKey) || "{}");
  // A fresh page has an empty log: lastSeq starts at 0 so the resume replays the whole chat;
  // readSeq (kept) is the last line the visitor had the panel open for.
  var state = { token: saved.token || null, lastSeq: 0, readSeq: saved.readSeq || 0, seen: {}, pending: {}, socket: null, retry: 0, stateName: "", open: true, unread: 0 };
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
  var pageTitle = document.title;

  function save() { localStorage.setItem(storeKey, JSON.stringify({ token: state.token, readSeq: state.readSeq, panel: root ? root.dataset.state : "closed" })); }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }
  function uid() { return Date.now().toString(36) + Math.random().toString(36).slice(2, 10); }

  var css = el("link", { rel: "stylesheet", href: new URL("{{ css_url }}", base).href });
  document.head.appendChild(css);
  var root = el("div", { class: "kefu-chat", "data-state": "closed" });
  var launcher = el("button", { class: "kefu-launcher", type: "button", "aria-label": T.open }, T.open);
  var badge = el("span", { class: "kefu-badge", hidden: "" });
  launcher.appendChild(badge);
  var panel = el("section", { class: "kefu-panel", role: "dialog", "aria-label": T.title, lang: lang, dir: lang === "ar" ? "rtl" : "ltr" });
  panel.innerHTML =
    '<header><strong></strong><span class="kefu-status"></span><button type="button" class="kefu-close" aria-label="×">×</button></header>' +
    '<div class="kefu-intro"></div>' +
    '<form class="kefu-prechat"><label><span></span><input name="name" autocomplete="name"></label><label><span></span><input name="email" type="email" required autocomplete="email"></label><button type="submit"></button></form>' +
    '<ol class="kefu-log" aria-live="polite"></ol><div class="kefu-typing" hidden></div>' +
    '<form class="kefu-compose"><textarea rows="2" name="text"></textarea><div class="kefu-actions"><button type="button" class="kefu-human"></button><label class="kefu-file"><input type="file" accept=".jpg,.jpeg,.png,.pdf" hidden><span></span></label><button type="button" class="kefu-leave-open" hidden></button><button type="button" class="kefu-end"></button><button type="submit" class="kefu-send"></button></div></form>' +
    '<form class="kefu-leave" hidden><p></p><input name="name" autocomplete="name"><input name="email" type="email" required><input name="order"><textarea name="text" rows="4" required></textarea><button type="submit"></button><button type="button" class="kefu-back" hidden></button><a class="kefu-form-link" target="_blank" rel="noopener"></a></form>' +
    '<form class="kefu-rate" hidden><p></p><div class="kefu-stars"><button type="button" data-rating="satisfied"></button><button type="button" data-rating="neutral"></button><button type="button" data-rating="unsatisfied"></button></div><textarea name="comment" rows="2"></textarea><button type="submit"></button></form>';
  root.appendChild(launcher);
  root.appendChild(panel);
  document.body.appendChild(root);

  var $ = function (sel) { return panel.querySelector(sel); };
  $("header strong").textContent = T.title;
  $(".kefu-intro").textContent = T.intro;
  var pre = $(".kefu-prechat"), compose = $(".kefu-compose"), leave = $(".kefu-leave"), rateForm = $(".kefu-rate");
  pre.querySelectorAll("span")[0].textContent = T.name;
  pre.querySelectorAll("span")[1].textContent = T.email;
  pre.querySelector("button").textContent = T.start;
  compose.querySelector("textarea").placeholder = T.placeholder;
  $(".kefu-human").textContent = T.human;
  $(".kefu-file span").textContent = T.attach;
  $(".kefu-end").textContent = T.end;
  $(".kefu-leave-open").textContent = T.leave;
  $(".kefu-back").textContent = T.back;
  $(".kefu-send").textContent = T.send;
  leave.querySelector("p").textContent = T.offline;
  leave.elements.name.placeholder = T.name;
  leave.elements.email.placeholder = T.email;
  leave.elements.order.placeholder = T.order;
  leave.elements.order.value = script.dataset.order || "";
  leave.elements.text.placeholder = T.placeholder;
  leave.querySelector("button").textContent = T.leave;
  leave.querySelector(".kefu-form-link").textContent = T.form;
  leave.querySelector(".kefu-form-link").href = new URL("{{ contact_url }}", base).href;
  rateForm.querySelector("p").textContent = T.rate;
  rateForm.querySelectorAll(".kefu-stars button").forEach(function (b) { b.textContent = T[b.dataset.rating]; });
  rateForm.elements.comment.placeholder = T.comment;
  rateForm.querySelector("button[type=submit]").textContent = T.submit;
  var signedIn = script.dataset.signedIn === "1";

  function show(view) {
    pre.hidden = view !== "prechat";
    compose.hidden = view !== "chat";
    leave.hidden = view !== "leave";
    rateForm.hidden = view !== "rate";
    $(".kefu-log").hidden = view === "prechat" || view === "leave";
    if (view === "leave") {  // reuse the name and email the visitor already typed
      if (!leave.elements.name.value) leave.elements.name.value = pre.elements.name.value;
      if (!leave.elements.email.value) leave.elements.email.value = pre.elements.email.value;
    }
  }
  function setStatus(text) { $(".kefu-status").textContent = text || ""; }
  // The server's own words (in the visitor's language), e.g. "too many requests, try again in…".
  function errorText(body) {
    if (body && typeof body.detail === "string") return body.detail;
    return body && body.detail && body.detail[0] && body.detail[0].msg ? body.detail[0].msg : T.error;
  }

  function markRead() {
    state.readSeq = Math.max(state.readSeq, state.lastSeq);
    state.unread = 0;
    badge.hidden = true;
    badge.textContent = "";
    document.title = pageTitle;
    save();
  }
  function unread(line) {
    if (root.dataset.state === "open") { markRead(); return; }
    if (line.author !== "agent" || !line.seq || line.seq <= state.readSeq) return;
    state.unread += 1;
    badge.textContent = String(state.unread);
    badge.hidden = false;
    launcher.setAttribute("aria-label", T.open + " (" + state.unread + ")");
    document.title = "(" + state.unread + ") " + T.unread + " · " + pageTitle;
  }

  function render(line) {
    if (line.seq && state.seen[line.seq]) return;
    if (line.seq) { state.seen[line.seq] = true; state.lastSeq = Math.max(state.lastSeq, line.seq); }
    unread(line);
    if (line.client_id && state.pending[line.client_id]) {
      var mine = panel.querySelector('[data-client="' + line.client_id + '"]');
      delete state.pending[line.client_id];
      if (mine) { mine.classList.remove("kefu-pending"); mine.dataset.seq = line.seq; return; }
    }
    var item = el("li", { class: "kefu-msg kefu-" + line.author });
    var who = line.author === "bot" ? T.bot : line.author === "agent" ? T.agent + " " + (line.agent || "") : line.author === "visitor" ? T.you : T.system;
    item.appendChild(el("small", {}, who));
    item.appendChild(el("p", {}, line.text));
    (line.files || []).forEach(function (f) {
      var href = new URL(f.url, base).href;
      var link = el("a", { href: href, target: "_blank", rel: "noopener", class: "kefu-file-link" });
      if (f.image) {
        var img = el("img", { src: href, alt: f.name });
        img.addEventListener("load", function () { $(".kefu-log").scrollTop = 1e9; });  // its height is known now
        link.appendChild(img);
      } else link.textContent = f.name;
      item.appendChild(link);
    });
    (line.articles || []).forEach(function (a) {
      var link = el("a", { href: new URL(a.url, base).href, target: "_blank", rel: "noopener" }, a.title);
      item.appendChild(link);
    });
    $(".kefu-log").appendChild(item);
    $(".kefu-log").scrollTop = 1e9;
  }

  function connect() {
    var url = (base.protocol === "https:" ? "wss://" : "ws://") + base.host + "/ws/chat/";
    var socket = new WebSocket(url);
    state.socket = socket;
    socket.onopen = function () {
      state.retry = 0;
      socket.send(JSON.stringify({ type: "hello", token: state.token, last_seq: state.lastSeq, name: pre.elements.name.value, email: pre.elements.email.value, org: script.dataset.org || "", order: script.dataset.order || "", page: location.href, lang: lang, tz: zone }));
    };
    socket.onmessage = function (event) { receive(JSON.parse(event.data)); };
    socket.onclose = function () {
      state.socket = null;
      if (state.done) return;
      setStatus(T.reconnecting);
      var wait = Math.min(30000, 500 * Math.pow(2, state.retry++));
      setTimeout(connect, wait);
    };
  }

  function flush() {
    Object.keys(state.pending).forEach(function (id) { sendRaw({ type: "message", id: id, text: state.pending[id] }); });
  }
  function sendRaw(payload) {
    if (state.socket && state.socket.readyState === 1) state.socket.send(JSON.stringify(payload));
  }

  function receive(msg) {
    if (msg.type === "session") {
      var first = !state.token;
      state.token = msg.token; save();
      state.stateName = msg.state; state.open = msg.open;
      state.name = msg.name || ""; state.email = msg.email || "";
      root.dataset.chat = msg.state;
      if (msg.state === "ended") { show("rate"); setStatus(T.ended); return; }
      // Outside chat hours the bot still answers; only the handoff closes (the bot says until
      // when) and leave-a-message is one press away.
      $(".kefu-leave-open").hidden = !!msg.open || msg.state !== "bot";
      $(".kefu-intro").textContent = msg.open ? T.intro : T.introClosed;
      if (leave.hidden || msg.state !== "bot") show("chat");
      if (msg.state === "queued") setStatus(T.queue.replace("{n}", msg.position || 1).replace("{m}", Math.max(1, Math.round((msg.wait_seconds || 60) / 60))));
      else if (msg.state === "active") setStatus(T.connected);
      else setStatus(msg.open ? T.botStatus : T.closed);
      if (first) flush();
      flush();
    } else if (msg.type === "message") { render(msg); document.querySelector(".kefu-typing") && ($(".kefu-typing").hidden = true); }
    else if (msg.type === "ack") {
      var node = panel.querySelector('[data-client="' + msg.id + '"]');
      if (node) { node.classList.remove("kefu-pending"); if (msg.seq) { node.dataset.seq = msg.seq; state.seen[msg.seq] = true; state.lastSeq = Math.max(state.lastSeq, msg.seq); save(); } }
      delete state.pending[msg.id];
    } else if (msg.type === "typing" && msg.from === "agent") {
      var t = $(".kefu-typing"); t.textContent = T.typing; t.hidden = false;
      clearTimeout(receive.typingTimer); receive.typingTimer = setTimeout(function () { t.hidden = true; }, 4000);
    } else if (msg.type === "accepted") { setStatus(T.connected); root.dataset.chat = "active"; }
    else if (msg.type === "ended") { show("rate"); setStatus(T.ended); }
    else if (msg.type === "rated") {
      rateForm.innerHTML = "<p>" + T.thanks + "</p>";
      // Done: the next page starts a new chat instead of bringing this one back.
      localStorage.removeItem(storeKey);
      state.token = null;
      state.done = true;
    }
    else if (msg.type === "error") { setStatus(errorText(msg)); }
  }

  function say(text) {
    var id = uid();
    state.pending[id] = text;
    render({ author: "visitor", text: text, client_id: "" });
    $(".kefu-log").lastChild.dataset.client = id;
    $(".kefu-log").lastChild.classList.add("kefu-pending");
    sendRaw({ type: "message", id: id, text: text });
  }

  launcher.addEventListener("click", function () {
    root.dataset.state = "open";
    markRead();
    if (!state.socket) {
      // A signed-in customer (or a chat under way) needs no pre-chat form: straight to the chat.
      if (state.token || signedIn) { show("chat"); connect(); }
      else show("prechat");
    }
  });
  $(".kefu-back").addEventListener("click", function () { show("chat"); });
  $(".kefu-close").addEventListener("click", function () { root.dataset.state = "closed"; save(); });
  $(".kefu-leave-open").addEventListener("click", function () {
    leave.elements.name.value = leave.elements.name.value || pre.elements.name.value || state.name || "";
    leave.elements.email.value = leave.elements.email.value || pre.elements.email.value || state.email || "";
    $(".kefu-back").hidden = false;
    show("leave");
  });
  pre.addEventListener("submit", function (e) { e.preventDefault(); show("chat"); connect(); });
  compose.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = compose.elements.text.value.trim();
    if (!text) return;
    compose.elements.text.value = "";
    say(text);
  });
  compose.elements.text.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); compose.requestSubmit(); }
    else sendRaw({ type: "typing" });
  });
  $(".kefu-human").addEventListener("click", function () { sendRaw({ type: "human" }); });
  $(".kefu-end").addEventListener("click", function () { sendRaw({ type: "end" }); });
  $(".kefu-file input").addEventListener("change", function (e) {
    var file = e.target.files[0];
    if (!file || !state.token) return;
    var form = new FormData();
    form.append("token", state.token);
    form.append("file", file);
    setStatus(T.uploading);
    fetch(new URL("{{ upload_url }}", base).href, { method: "POST", body: form })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (r) { setStatus(r.ok ? "" : errorText(r.body)); if (r.ok) render(r.body); });
    e.target.value = "";
  });
  rateForm.querySelectorAll(".kefu-stars button").forEach(function (b) {
    b.addEventListener("click", function () {
      rateForm.querySelectorAll(".kefu-stars button").forEach(function (o) { o.setAttribute("aria-pressed", o === b ? "true" : "false"); });
      rateForm.dataset.rating = b.dataset.rating;
    });
  });
  rateForm.addEventListener("submit", function (e) {
    e.preventDefault();
    if (!rateForm.dataset.rating) return;
    sendRaw({ type: "rate", rating: rateForm.dataset.rating, comment: rateForm.elements.comment.value });
  });
  leave.addEventListener("submit", function (e) {
    e.preventDefault();
    var form = new FormData(leave);
    fetch(new URL("{{ leave_url }}", base).href, { method: "POST", body: form, headers: { "Accept-Language": lang === "zh" ? "zh-hans" : lang } })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        if (!body.ticket && !body.verify) { setStatus(errorText(body)); return; }  // the form stays: try again later
        leave.innerHTML = "";
        leave.appendChild(el("p", {}, body.ticket ? T.left.replace("{t}", body.ticket) : T.verify.replace("{e}", body.verify)));
      });
  });
  // A chat under way comes back on every page of the site, the panel as the visitor left it.
  if (state.token) {
    root.dataset.state = saved.panel === "open" ? "open" : "closed";
    show("chat");
    connect();
  }
})();
