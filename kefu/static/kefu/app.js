/* Behaviour of every Kefu page. A file, not inline script: the Content-Security-Policy runs
   only scripts served by Kefu (kefu/security.py), so inline handlers such as onchange="…" would
   not run. */
(function () {
  "use strict";
  // <select data-submit-on-change>: choosing an option sends its form (the language switch).
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field instanceof HTMLSelectElement && field.hasAttribute("data-submit-on-change") && field.form) {
      field.form.submit();
    }
  });
})();
