/* Rows of a Django formset (product lines, co-sell partners): add a row from its <template> and mark rows
   for removal, without a page reload. A <tbody data-formset-rows="PREFIX"> names its formset's prefix; the
   page holds <template id="PREFIX-template"> and a button data-formset-add="PREFIX". */
(function () {
  document.querySelectorAll("[data-formset-rows]").forEach(function (rows) {
    const prefix = rows.dataset.formsetRows;
    const total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    const template = document.getElementById(prefix + "-template");
    document.querySelector("[data-formset-add='" + prefix + "']").addEventListener("click", function () {
      const index = parseInt(total.value, 10);
      const html = template.innerHTML.replace(/__prefix__/g, index).replace(/__number__/g, index + 1);
      rows.insertAdjacentHTML("beforeend", html);
      total.value = index + 1;
      rows.lastElementChild.querySelector("select").focus();
    });
    rows.addEventListener("change", function (event) {
      if (event.target.matches("input[name$='-DELETE']")) {
        event.target.closest("tr").classList.toggle("table-danger", event.target.checked);
      }
    });
  });
})();
