// Print buttons: the Content-Security-Policy refuses inline handlers, so a button marked data-print is wired here.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) { window.print(); }
  });
})();
