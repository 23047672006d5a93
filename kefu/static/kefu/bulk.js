/* The queue's bulk bar: it shows while rows are selected, with how many; "select all" selects
   the page's rows. The queue re-reads itself live (live.js): the selection is kept across that
   refresh for the rows still shown, so a colleague's change does not clear what you chose.
   Filters change the queue without reloading the page: "save this view" and the bulk bar send
   the filters (and the page to come back to) as they are when submitted. */
(function () {
  "use strict";
  var filters = document.querySelector("form.filters");
  var save = document.getElementById("save-view-form");
  if (save && filters) {
    save.addEventListener("submit", function () {
      save.querySelectorAll("input[data-filter]").forEach(function (input) { input.remove(); });
      new FormData(filters).forEach(function (value, name) {
        if (!value) return;
        var input = document.createElement("input");
        input.type = "hidden"; input.name = name; input.value = String(value);
        input.setAttribute("data-filter", "");
        save.appendChild(input);
      });
    });
  }
  var bar = document.querySelector("[data-bulk-bar]");
  var queue = document.getElementById("queue");
  if (!bar || !queue) return;
  var count = bar.querySelector("[data-bulk-count]");
  bar.addEventListener("submit", function () {
    bar.querySelector("input[name=back]").value = location.pathname + location.search;
  });

  function rows() { return Array.prototype.slice.call(queue.querySelectorAll("[data-bulk-row]")); }
  function selected() { return rows().filter(function (box) { return box.checked; }); }

  function update() {
    var n = selected().length;
    bar.hidden = n === 0;
    count.textContent = count.getAttribute("data-template").replace("{n}", String(n));
    var all = queue.querySelector("[data-bulk-all]");
    if (all) {
      all.checked = n > 0 && n === rows().length;
      all.indeterminate = n > 0 && n < rows().length;
    }
  }

  var kept = [];
  queue.addEventListener("change", function (e) {
    var target = e.target;
    if (target instanceof HTMLInputElement && target.hasAttribute("data-bulk-all")) {
      rows().forEach(function (box) { box.checked = target.checked; });
    }
    update();
  });
  document.body.addEventListener("htmx:beforeSwap", function (e) {
    if (e.detail.target === queue) kept = selected().map(function (box) { return box.value; });
  });
  document.body.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail.target !== queue) return;
    rows().forEach(function (box) { box.checked = kept.indexOf(box.value) !== -1; });
    update();
  });
  update();
})();
