/* Live pages: one WebSocket (/ws/live/) tells open pages what changed; each live region then
   re-reads itself through htmx (hx-trigger="kefu:changed"), with the page's own access checks.
   Regions: [data-live-ticket="KF…"] (that ticket), [data-live-queue] (the desk's queue),
   [data-live-notifications] (the unread count), [data-live-call] (the desk's screen pop). Pushes carry no content; a lost one only
   delays a refresh, and a reconnect refreshes everything.
   Presence ([data-presence-ticket="KF…"], desk ticket pages): this page says it is here (and
   whether its reply box is being typed in) and lists the colleagues who said so too. Heard
   announcements expire by themselves, so a vanished colleague disappears without a "left". */
(function () {
  "use strict";
  if (!document.body || !document.body.hasAttribute("data-live")) return;
  var retry = 1000;
  var pending = 0;
  var socket = null;
  var HEARTBEAT = 20000;   // ms between "still here"
  var FORGET = 50000;      // a colleague not heard from for this long has gone
  var TYPING_FOR = 8000;   // "typing" not repeated for this long becomes "viewing"
  var presenceBox = document.querySelector("[data-presence-ticket]");
  var others = {};         // user id → {name, typing, seen, typedAt}
  var typing = false;
  var typedSent = 0;
  var idleTimer = null;
  // <body data-live-ready="yes">: connected and watching every ticket on the page (tests wait
  // for it as an attribute: evaluating script to ask would need eval, which the CSP forbids).
  function setReady(ready) {
    document.body.setAttribute("data-live-ready", ready ? "yes" : "no");
  }

  function changed(selector) {
    document.querySelectorAll(selector).forEach(function (node) {
      node.dispatchEvent(new CustomEvent("kefu:changed", { bubbles: false }));
    });
  }

  function watched() {
    var numbers = {};
    document.querySelectorAll("[data-live-ticket]").forEach(function (node) {
      numbers[node.getAttribute("data-live-ticket")] = true;
    });
    return Object.keys(numbers);
  }

  function announce() {
    if (!presenceBox || !socket || socket.readyState !== 1) return;
    socket.send(JSON.stringify({
      type: "presence", ticket: presenceBox.getAttribute("data-presence-ticket"), typing: typing,
    }));
  }

  function showPresence() {
    if (!presenceBox) return;
    var now = Date.now();
    var people = Object.keys(others).map(function (id) { return others[id]; })
      .filter(function (p) { return now - p.seen < FORGET; });
    presenceBox.textContent = "";
    presenceBox.hidden = people.length === 0;
    if (!people.length) return;
    presenceBox.appendChild(document.createTextNode(presenceBox.getAttribute("data-label")));
    people.sort(function (a, b) { return a.name < b.name ? -1 : 1; }).forEach(function (p) {
      var typingNow = p.typing && now - p.typedAt < TYPING_FOR;
      var who = document.createElement("span");
      who.className = "who" + (typingNow ? " typing" : "");
      who.setAttribute("data-presence-agent", p.code);
      who.setAttribute("data-presence-state", typingNow ? "typing" : "viewing");
      who.textContent = p.name + " (" + presenceBox.getAttribute(
        typingNow ? "data-typing" : "data-viewing") + ")";
      presenceBox.appendChild(who);
    });
  }

  function heard(message) {
    if (!presenceBox || !message.agent) return;
    if (message.ticket !== presenceBox.getAttribute("data-presence-ticket")) return;
    var id = String(message.agent.id);
    if (id === presenceBox.getAttribute("data-me")) return;  // myself, in another tab
    if (message.state === "left") {
      delete others[id];
    } else {
      var before = others[id];
      others[id] = {
        name: message.agent.name, code: message.agent.code, typing: message.typing,
        seen: Date.now(), typedAt: message.typing ? Date.now() : (before ? before.typedAt : 0),
      };
    }
    if (message.hello) announce();  // a newcomer: tell them we are here too
    showPresence();
  }

  function typed() {
    var now = Date.now();
    if (!typing || now - typedSent > 3000) {
      typing = true;
      typedSent = now;
      announce();
    }
    clearTimeout(idleTimer);
    idleTimer = setTimeout(function () { typing = false; announce(); }, 5000);
  }

  if (presenceBox) {
    var box = document.querySelector("#reply-form textarea[name=body]");
    if (box) box.addEventListener("input", typed);
    setInterval(announce, HEARTBEAT);
    setInterval(showPresence, 2000);
  }

  function receive(message) {
    if (message.type === "presence") {
      heard(message);
    } else if (message.type === "watching" || message.type === "error") {
      pending -= 1;
      setReady(pending <= 0);
    } else if (message.type === "ticket") {
      changed('[data-live-ticket="' + message.number + '"]');
      changed("[data-live-queue]");
      document.dispatchEvent(new CustomEvent("kefu:ticket", { detail: message }));
    } else if (message.type === "notifications") {
      changed("[data-live-notifications]");
    } else if (message.type === "call") {
      changed("[data-live-call]");
    }
  }

  function connect(again) {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/ws/live/");
    socket.onopen = function () {
      retry = 1000;
      var numbers = watched();
      pending = numbers.length;
      setReady(pending === 0);
      numbers.forEach(function (number) {
        var present = !!document.querySelector('[data-presence-ticket="' + number + '"]');
        socket.send(JSON.stringify({ type: "watch", ticket: number, presence: present }));
      });
      if (again) {
        changed("[data-live-ticket], [data-live-queue], [data-live-notifications], [data-live-call]");
      }
    };
    socket.onmessage = function (event) { receive(JSON.parse(event.data)); };
    socket.onclose = function () {
      setReady(false);
      others = {};
      showPresence();
      setTimeout(function () { connect(true); }, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }
  connect(false);
})();
