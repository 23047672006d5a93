/* Browser notifications: when the unread badge (#notify-badge, re-read live by live.js) brings a
   notification the person asked to see in the browser (a column of the notification
   preferences), show it once as a desktop notification — if the browser allows it. What the
   page already had when it opened is not shown again; what was shown is remembered for the tab
   (sessionStorage), so a reload or a second badge refresh does not repeat it. */
(function () {
  "use strict";
  var KEY = "kefu-notified";
  var supported = "Notification" in window;

  function shown() { return parseInt(sessionStorage.getItem(KEY) || "0", 10); }
  function remember(id) { if (id > shown()) sessionStorage.setItem(KEY, String(id)); }

  function badgeAlert(badge) {
    var id = parseInt(badge && badge.getAttribute("data-alert-id") || "0", 10);
    return id ? { id: id, text: badge.getAttribute("data-alert-text"),
      url: badge.getAttribute("data-alert-url") } : null;
  }

  function maybeShow(badge) {
    var alert = badgeAlert(badge);
    if (!alert || alert.id <= shown()) return;
    remember(alert.id);
    if (!supported || Notification.permission !== "granted") return;
    var note = new Notification(alert.text, { tag: "kefu-" + alert.id });
    note.onclick = function () { window.focus(); location.href = alert.url; };
  }

  // What the page opened with is known already (it is in the badge): remember, don't show.
  var first = badgeAlert(document.getElementById("notify-badge"));
  if (first) remember(first.id);
  document.addEventListener("htmx:load", function (event) {
    if (event.target && event.target.id === "notify-badge") maybeShow(event.target);
  });

  // The preferences page: ask the browser's permission, and say where it stands.
  var box = document.querySelector("[data-browser-permission]");
  if (!box || !supported) return;
  var hint = box.querySelector(".hint");
  var ask = box.querySelector("button");
  function showState() {
    var state = Notification.permission;
    hint.textContent = state === "granted" ? box.getAttribute("data-granted")
      : state === "denied" ? box.getAttribute("data-denied") : "";
    ask.style.display = state === "default" ? "" : "none";  // (a styled button ignores hidden)
    box.hidden = false;
  }
  ask.addEventListener("click", function () {
    Notification.requestPermission().then(showState);
  });
  showState();
})();
