/* Page behaviour asked for by data- attributes. The Content-Security-Policy forbids inline
 * scripts and on...= handlers (script-src 'self'), so templates say what they want and this file
 * does it. Delegated from the document, so content swapped in by htmx works too.
 *
 *   <select data-autosubmit>                 submit the form when the choice changes
 *   <select data-autosubmit data-clears="x"> ... after emptying the form's field "x"
 *   <button data-confirm="Question?">        ask before the click goes on
 *   <button data-print>                      print the page
 *   <input data-no-enter>                    Enter does not submit the form
 *   <form data-progress="bar-id">            htmx upload progress into <progress id="bar-id">
 */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!el.matches || !el.matches("select[data-autosubmit]") || !el.form) return;
    var clears = el.getAttribute("data-clears");
    if (clears && el.form.elements[clears]) el.form.elements[clears].value = "";
    el.form.submit();
  });

  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-confirm], [data-print]");
    if (!el) return;
    if (el.hasAttribute("data-print")) {
      window.print();
      return;
    }
    if (!window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches && event.target.matches("[data-no-enter]")) {
      event.preventDefault();
    }
  });

  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target.closest && event.target.closest("[data-progress]");
    if (!form || !event.detail.lengthComputable) return;
    var bar = document.getElementById(form.getAttribute("data-progress"));
    if (bar) bar.value = event.detail.loaded / event.detail.total * 100;
  });
})();
