/* Product lines of a formset (deal form, new quote): add and mark rows for removal without a page reload. */
(function () {
  const body = document.getElementById("line-rows");
  if (!body) return;
  const total = document.getElementById("id_lines-TOTAL_FORMS");
  const template = document.getElementById("line-template");
  document.getElementById("add-line").addEventListener("click", function () {
    const index = parseInt(total.value, 10);
    const html = template.innerHTML.replace(/__prefix__/g, index).replace(/__number__/g, index + 1);
    body.insertAdjacentHTML("beforeend", html);
    total.value = index + 1;
    body.lastElementChild.querySelector("select").focus();
  });
  body.addEventListener("change", function (event) {
    if (event.target.matches("input[name$='-DELETE']")) {
      event.target.closest("tr").classList.toggle("table-danger", event.target.checked);
    }
  });
})();
