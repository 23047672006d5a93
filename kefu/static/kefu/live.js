/* Live pages: one WebSocket (/ws/live/) tells open pages what changed; each live region then
   re-reads itself through htmx (hx-trigger="kefu:changed"), with the page's own access checks.
   Regions: [data-live-ticket="KF…"] (that ticket), [data-live-queue] (the desk's queue),
   [data-live-notifications] (the unread count), [data-live-call] (the desk's screen pop). Pushes carry no content; a lost one only
   delays a refresh, and a reconnect refreshes everything. */
(function () {
  "use strict";
  if (!document.body || !document.body.hasAttribute("data-live")) return;
  var retry = 1000;
  var pending = 0;
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

  function receive(message) {
    if (message.type === "watching" || message.type === "error") {
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
    var socket = new WebSocket(scheme + location.host + "/ws/live/");
    socket.onopen = function () {
      retry = 1000;
      var numbers = watched();
      pending = numbers.length;
      setReady(pending === 0);
      numbers.forEach(function (number) {
        socket.send(JSON.stringify({ type: "watch", ticket: number }));
      });
      if (again) {
        changed("[data-live-ticket], [data-live-queue], [data-live-notifications], [data-live-call]");
      }
    };
    socket.onmessage = function (event) { receive(JSON.parse(event.data)); };
    socket.onclose = function () {
      setReady(false);
      setTimeout(function () { connect(true); }, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }
  connect(false);
})();
