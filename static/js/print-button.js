/* Buttons marked data-print-page print the page (the print stylesheet keeps only the content). */
(function () {
  document.querySelectorAll("[data-print-page]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
