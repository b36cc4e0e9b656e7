// "Use my current location" on the request form: fills latitude and longitude from the browser's geolocation.
// A file of its own because the Content-Security-Policy refuses inline scripts.
(function () {
  "use strict";
  function start() {
    var button = document.getElementById("appeal-locate");
    if (!button || !navigator.geolocation) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (position) {
        document.getElementById("id_latitude").value = position.coords.latitude.toFixed(6);
        document.getElementById("id_longitude").value = position.coords.longitude.toFixed(6);
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
