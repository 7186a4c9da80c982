/* Target form: a filter box over each multiple choice (texts from the form's data- attributes;
   the CSP forbids inline scripts). */
// A filter box over each multiple choice (the named communes of a target): a province has a
// hundred communes or more. Diacritics are ignored, chosen options stay visible.
(function () {
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }
  var form = document.querySelector("[data-testid=target-form]");
  if (!form) return;
  form.querySelectorAll("select[multiple]").forEach(function (select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = form.getAttribute("data-filter-hint");
    box.setAttribute("data-filter-for", select.id);
    var chosen = document.createElement("div");
    chosen.className = "form-text";
    chosen.setAttribute("data-chosen-for", select.id);
    function showChosen() {
      var names = Array.from(select.selectedOptions).map(function (o) { return o.text; });
      chosen.textContent = names.length ? form.getAttribute("data-chosen-label") + " " + names.join("; ") : form.getAttribute("data-multi-hint");
    }
    function filter() {
      var wanted = fold(box.value.trim());
      Array.from(select.options).forEach(function (option) {
        option.hidden = wanted !== "" && !option.selected && fold(option.text).indexOf(wanted) < 0;
      });
    }
    box.addEventListener("input", filter);
    select.addEventListener("change", function () { filter(); showChosen(); });
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(chosen, select.nextSibling);
    showChosen();
  });
})();
