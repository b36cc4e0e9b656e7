// Region map: draws the boundaries GeoJSON with Leaflet (no tiles: works offline) and opens a region on click.
(function () {
  "use strict";
  function start() {
    var element = document.getElementById("map");
    if (!element || typeof L === "undefined") { return; }
    var namesElement = document.getElementById(element.dataset.names || "");
    var names = namesElement ? JSON.parse(namesElement.textContent) : {};
    var map = L.map(element, { zoomSnap: 0.25, attributionControl: true, zoomControl: false });
    // Leaflet's own zoom buttons are labelled in English: the page gives the labels in its language.
    L.control.zoom({ zoomInTitle: element.dataset.zoomIn, zoomOutTitle: element.dataset.zoomOut }).addTo(map);
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("geokz, Alexander Rodionov; stat.gov.kz / OCHA COD-AB (CC BY 4.0)");
    fetch(element.dataset.geojson, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("boundaries: HTTP " + response.status); }
        return response.json();
      })
      .then(function (collection) {
        var layer = L.geoJSON(collection, {
          style: function () { return { color: "#0b6e4f", weight: 1, fillColor: "#7fb8a4", fillOpacity: 0.45 }; },
          onEachFeature: function (feature, featureLayer) {
            var props = feature.properties || {};
            var name = names[props.KATO] || props.KATO;
            featureLayer.bindTooltip(name, { sticky: true });
            featureLayer.on("mouseover", function () { featureLayer.setStyle({ fillOpacity: 0.75 }); });
            featureLayer.on("mouseout", function () { featureLayer.setStyle({ fillOpacity: 0.45 }); });
            featureLayer.on("click", function () {
              window.location.href = element.dataset.urlTemplate.replace("000000000", props.KATO);
            });
          }
        }).addTo(map);
        map.fitBounds(layer.getBounds());
        element.dataset.loaded = String(collection.features.length);
      })
      .catch(function (error) {
        element.dataset.loaded = "error";
        element.textContent = error.message;
      });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
