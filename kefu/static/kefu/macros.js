/* The macro picker: type "/" in a reply box (or press the Macros button, or M) and a list of
   macros opens under it; typing filters it, ↑/↓ choose, Enter or Tab applies, Esc closes.
   Applying asks the server for the macro's reply with its placeholders filled in for this
   ticket, in the customer's language (kefu/macros/views.py: macro_render), puts it where the
   "/…" was, and remembers the macro: its changes (status, tags, …) are made on submit, in the
   same unit of work as the reply. Used by the desk's reply box and the chat console
   (window.KefuMacros.attach). A file, not inline script: the pages' CSP runs only Kefu's files. */
(function () {
  "use strict";
  var listNode = document.getElementById("macro-list");
  var MACROS = [];
  try { MACROS = JSON.parse(listNode ? listNode.textContent : "[]") || []; } catch (e) { MACROS = []; }
  if (!Array.isArray(MACROS)) MACROS = [];
  var STRINGS = {};
  var tpl = document.getElementById("macro-strings");
  if (tpl) Array.prototype.forEach.call(tpl.content.querySelectorAll("[data-key]"), function (n) { STRINGS[n.dataset.key] = n.textContent; });
  var counter = 0;

  function el(tag, cls, text) { var n = document.createElement(tag); if (cls) n.className = cls; if (text) n.textContent = text; return n; }

  function matches(macro, words) {
    var hay = (macro.title + " " + macro.other + " " + macro.scope + " " + macro.preview).toLowerCase();
    return words.every(function (w) { return hay.indexOf(w) !== -1; });
  }

  /* The "/query" just before the caret: "/" at the start or after a space or line break. */
  function slashQuery(box) {
    var upto = box.value.slice(0, box.selectionStart);
    var at = upto.lastIndexOf("/");
    if (at === -1) return null;
    if (at > 0 && !/\s/.test(upto.charAt(at - 1))) return null;
    var query = upto.slice(at + 1);
    if (/[\n\r]/.test(query) || query.length > 40 || /\s\s/.test(query)) return null;
    return { start: at, end: box.selectionStart, text: query };
  }

  /* options: ticket() → the ticket number; renderBase: "/desk/macros/"; onChange(macro|null). */
  function attach(box, options) {
    if (!MACROS.length) return null;
    var id = "macro-picker-" + (++counter);
    var list = el("ul", "macro-picker");
    list.id = id; list.setAttribute("role", "listbox"); list.hidden = true;
    list.setAttribute("aria-label", STRINGS.label || "Macros");
    box.insertAdjacentElement("afterend", list);
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-controls", id);
    box.setAttribute("aria-expanded", "false");
    var state = { open: false, query: null, shown: [], active: 0, macro: null };

    function close() {
      state.open = false; list.hidden = true; state.query = null;
      box.setAttribute("aria-expanded", "false"); box.removeAttribute("aria-activedescendant");
    }
    function paint() {
      list.innerHTML = "";
      var words = (state.query ? state.query.text : "").toLowerCase().split(/\s+/).filter(Boolean);
      state.shown = MACROS.filter(function (m) { return matches(m, words); }).slice(0, 8);
      if (state.active >= state.shown.length) state.active = 0;
      if (!state.shown.length) { list.appendChild(el("li", "macro-none", STRINGS.none || "—")); box.removeAttribute("aria-activedescendant"); }
      state.shown.forEach(function (m, i) {
        var item = el("li", "macro-option");
        item.id = id + "-" + m.id; item.setAttribute("role", "option");
        item.setAttribute("aria-selected", i === state.active ? "true" : "false");
        var head = el("div", "macro-option-head");
        head.appendChild(el("strong", "", m.title));
        head.appendChild(el("span", "badge", m.scope));
        item.appendChild(head);
        if (m.preview) item.appendChild(el("small", "macro-preview", m.preview));
        if (m.actions.length) item.appendChild(el("small", "macro-actions", m.actions.join(" · ")));
        item.addEventListener("mousedown", function (e) { e.preventDefault(); apply(m); });
        list.appendChild(item);
        if (i === state.active) { box.setAttribute("aria-activedescendant", item.id); item.scrollIntoView({ block: "nearest" }); }
      });
    }
    function openAt(query) {
      state.query = query; state.open = true; list.hidden = false; state.active = 0;
      box.setAttribute("aria-expanded", "true"); paint();
    }
    function showApplied(macro, rendered) {
      var holder = options.appliedNode;
      if (!holder) return;
      holder.innerHTML = "";
      if (!macro) { holder.hidden = true; return; }
      holder.hidden = false;
      var text = el("span", "macro-applied-text", (STRINGS.applied || "Macro:") + " ");
      text.appendChild(el("strong", "", rendered.title));
      if (rendered.actions.length) text.appendChild(el("span", "macro-actions", " " + (STRINGS.also || "") + " " + rendered.actions.join(" · ")));
      holder.appendChild(text);
      var remove = el("button", "small", "×");
      remove.type = "button";
      remove.setAttribute("aria-label", STRINGS.remove || "Remove");
      remove.title = STRINGS.remove || "Remove";
      remove.addEventListener("click", function () { setMacro(null); box.focus(); });
      holder.appendChild(remove);
    }
    function setMacro(rendered) {
      state.macro = rendered;
      showApplied(rendered, rendered);
      if (options.onChange) options.onChange(rendered);
    }
    function apply(macro) {
      var query = state.query;
      close();
      var url = options.renderBase + macro.id + "/render/?ticket=" + encodeURIComponent(options.ticket());
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (rendered) {
          var start = query ? query.start : box.selectionStart, end = query ? query.end : box.selectionEnd;
          var before = box.value.slice(0, start), after = box.value.slice(end);
          box.value = before + rendered.text + after;
          var caret = (before + rendered.text).length;
          box.focus(); box.setSelectionRange(caret, caret);
          box.dispatchEvent(new Event("input", { bubbles: true }));
          setMacro(rendered);
        })
        .catch(function () { if (options.appliedNode) { options.appliedNode.hidden = false; options.appliedNode.textContent = STRINGS.failed || "Error"; } });
    }

    box.addEventListener("input", function () {
      var query = slashQuery(box);
      if (query) openAt(query); else if (state.open) close();
    });
    box.addEventListener("keydown", function (e) {
      if (!state.open) return;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        var n = state.shown.length || 1;
        state.active = (state.active + (e.key === "ArrowDown" ? 1 : n - 1)) % n;
        paint();
      } else if ((e.key === "Enter" || e.key === "Tab") && !e.ctrlKey && !e.metaKey && !e.shiftKey && state.shown.length) {
        e.preventDefault(); e.stopImmediatePropagation();
        apply(state.shown[state.active]);
      } else if (e.key === "Escape") {
        e.preventDefault(); e.stopPropagation(); close();
      }
    });
    box.addEventListener("blur", function () { setTimeout(close, 150); });

    return {
      /* Open the picker from a button or a shortcut: a "/" goes in at the caret. */
      open: function () {
        box.focus();
        var at = box.selectionStart, value = box.value;
        var lead = at > 0 && !/\s/.test(value.charAt(at - 1)) ? " /" : "/";
        box.value = value.slice(0, at) + lead + value.slice(at);
        box.setSelectionRange(at + lead.length, at + lead.length);
        box.dispatchEvent(new Event("input", { bubbles: true }));
      },
      macro: function () { return state.macro; },
      clear: function () { setMacro(null); },
      restore: setMacro,
    };
  }

  window.KefuMacros = { attach: attach, count: function () { return MACROS.length; } };

  /* The desk's reply box. */
  var form = document.getElementById("reply-form");
  if (form) {
    var box = form.querySelector("textarea[name=body]");
    var hidden = form.querySelector("input[name=macro]");
    var picker = attach(box, {
      ticket: function () { return form.dataset.ticket; },
      renderBase: form.dataset.renderUrl,
      appliedNode: form.querySelector(".macro-applied"),
      onChange: function (rendered) { hidden.value = rendered ? rendered.id : ""; },
    });
    if (picker) {
      window.KefuMacros.reply = picker;
      var button = form.querySelector("[data-macro-open]");
      if (button) button.addEventListener("click", function () { picker.open(); });
      // A refused submit comes back with the macro still chosen: show it again.
      var chosen = MACROS.filter(function (m) { return String(m.id) === hidden.value; })[0];
      if (chosen) picker.restore({ id: chosen.id, title: chosen.title, actions: chosen.actions });
    }
  }
})();
