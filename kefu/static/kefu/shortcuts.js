/* The desk's keyboard shortcuts, listed on the "?" overlay (macros/_desk_keys.html).
   Single letters act only when no text field has the focus (Esc leaves a field first); the
   Ctrl/⌘ combinations work inside the reply box too. Every target is an ordinary link, button
   or field, so the same things stay reachable with Tab and Enter. */
(function () {
  "use strict";
  var dialog = document.getElementById("shortcuts");
  var reply = document.getElementById("reply-form");
  var head = document.querySelector("[data-desk-ticket]");
  // Ctrl+Alt+letter (by key position, so any layout and macOS's Option work): send and set.
  var SEND_AS = { KeyO: "open", KeyP: "pending_customer", KeyH: "on_hold", KeyS: "resolved" };

  function typing(target) {
    return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  function toggleOverlay() {
    if (!dialog) return;
    if (dialog.open) dialog.close(); else dialog.showModal();
  }
  function submitReply(status) {
    if (!reply) return;
    var box = reply.querySelector("textarea[name=body]");
    var then = reply.querySelector("select[name=then_status]");
    if (status && then) then.value = status;
    if (box && box.getAttribute("aria-expanded") === "true") return; // choosing a macro first
    reply.requestSubmit();
  }
  function focusReply(internal) {
    if (!reply) return false;
    var check = reply.querySelector("input[name=internal]");
    if (check && internal !== undefined) check.checked = internal;
    var box = reply.querySelector("textarea[name=body]");
    box.focus();
    box.scrollIntoView({ block: "center" });
    return true;
  }
  /* In the queue: move the focus between the tickets' links. */
  function moveInQueue(step) {
    var links = Array.prototype.slice.call(document.querySelectorAll("#queue tbody a[href*='/desk/t/']"));
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    var next = at === -1 ? (step > 0 ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, at + step));
    links[next].focus();
    links[next].closest("tr").scrollIntoView({ block: "nearest" });
  }
  function go(url) { if (url) window.location.assign(url); }

  document.addEventListener("click", function (e) {
    var opener = e.target instanceof Element && e.target.closest("[data-shortcuts-open]");
    if (opener) toggleOverlay();
  });

  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.isComposing) return;
    var mod = e.ctrlKey || e.metaKey;
    if (mod && e.key === "Enter" && reply && reply.contains(e.target)) {
      e.preventDefault();
      submitReply(null);
      return;
    }
    if (e.ctrlKey && e.altKey && SEND_AS[e.code] && reply) {
      e.preventDefault();
      submitReply(SEND_AS[e.code]);
      return;
    }
    if (e.key === "Escape" && typing(e.target) && !(dialog && dialog.open)) {
      e.target.blur();
      return;
    }
    if (mod || e.altKey || typing(e.target)) return;
    if (dialog && dialog.open && e.key !== "?") return;
    var handled = true;
    switch (e.key) {
      case "?": toggleOverlay(); break;
      case "j": if (head) go(head.dataset.nextUrl); else moveInQueue(1); break;
      case "k": if (head) go(head.dataset.prevUrl); else moveInQueue(-1); break;
      case "u": go("/desk/"); break;
      case "c": go("/desk/new/"); break;
      case "r": handled = focusReply(false); break;
      case "n": handled = focusReply(true); break;
      case "a": {
        var take = document.querySelector("[data-key-take]");
        if (take) take.click(); else handled = false;
        break;
      }
      case "f": {
        var follow = document.querySelector("[data-key-follow]");
        if (follow) follow.click(); else handled = false;
        break;
      }
      case "x": {
        var row = document.activeElement instanceof Element && document.activeElement.closest("#queue tr");
        var box = row && row.querySelector("[data-bulk-row]");
        if (box) box.click(); else handled = false;
        break;
      }
      case "s": {
        var status = document.querySelector("#update-form select[name=status]");
        if (status) { status.focus(); status.scrollIntoView({ block: "center" }); } else handled = false;
        break;
      }
      case "m":
      case "/":
        if (window.KefuMacros && window.KefuMacros.reply) { focusReply(); window.KefuMacros.reply.open(); }
        else handled = false;
        break;
      default: handled = false;
    }
    if (handled) e.preventDefault();
  });
})();
