/* Co-sell partners on the deal form (rows are added and removed by formset-rows.js): keep the total in
   view; the lead's share follows the others until edited. */
(function () {
  const rows = document.getElementById("cosell-rows");
  if (!rows) return;
  const output = document.getElementById("cosell-total");
  const lead = rows.querySelector("[data-cosell-lead]");
  let leadEdited = false;
  const cents = (input) => Math.round((parseFloat(input.value) || 0) * 100);
  const activeShares = () => Array.from(rows.querySelectorAll("input.cosell-share")).filter(
    (input) => !(input.closest("tr").querySelector(".cosell-remove") || {}).checked
  );
  function refresh(changed) {
    if (lead && changed && changed !== lead && !leadEdited) {
      const others = activeShares().filter((input) => input !== lead).reduce((sum, i) => sum + cents(i), 0);
      lead.value = Math.max(0, 10000 - others) / 100;
    }
    const sum = activeShares().reduce((s, input) => s + cents(input), 0) / 100;
    output.textContent = String(sum);
  }
  rows.addEventListener("input", function (event) {
    if (event.target === lead) leadEdited = true;
    if (event.target.matches("input.cosell-share")) refresh(event.target);
  });
  rows.addEventListener("change", function (event) {
    if (event.target.matches(".cosell-remove")) refresh(event.target);
  });
})();
