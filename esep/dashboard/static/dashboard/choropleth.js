// Dashboard choropleth: regions or districts coloured by the picked indicator (Leaflet, no tiles: works
// offline). The data of every indicator comes once from a json_script block, so picking another indicator
// recolours the map and redraws the legend without a request; the page URL keeps the choice.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  function start() {
    var element = document.getElementById("dashboard-map");
    if (!element || typeof L === "undefined") { return; }
    var source = document.getElementById(element.dataset.source || "");
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var current = data.indicator;
    var picker = document.getElementById("indicator-picker");
    var form = document.getElementById("map-picker");
    var legend = document.getElementById("map-legend");
    var legendTitle = document.getElementById("map-legend-title");
    var layers = [];

    if (form) { form.classList.add("js"); }

    function colourOf(kato) {
      var index = data.indicators[current].classes[kato];
      return index === null || index === undefined ? data.noData : data.palette[index];
    }

    function tooltipOf(kato) {
      var box = document.createElement("span");
      var name = document.createElement("strong");
      name.textContent = data.names[kato] || kato;
      box.appendChild(name);
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(
        data.indicators[current].label + ": " + (data.indicators[current].display[kato] || "—")
      ));
      return box;
    }

    function swatch(colour, size, className) {
      var box = document.createElementNS(SVG, "svg");
      box.setAttribute("class", className);
      box.setAttribute("viewBox", "0 0 " + size + " " + size);
      box.setAttribute("width", String(size));
      box.setAttribute("height", String(size));
      box.setAttribute("aria-hidden", "true");
      var rect = document.createElementNS(SVG, "rect");
      rect.setAttribute("width", String(size));
      rect.setAttribute("height", String(size));
      rect.setAttribute("fill", colour);
      box.appendChild(rect);
      return box;
    }

    function drawLegend() {
      if (!legend) { return; }
      while (legend.firstChild) { legend.removeChild(legend.firstChild); }
      data.indicators[current].legend.forEach(function (entry) {
        var item = document.createElement("li");
        item.appendChild(swatch(entry[0], 14, "swatch"));
        item.appendChild(document.createTextNode(" " + entry[1]));
        legend.appendChild(item);
      });
      if (legendTitle) { legendTitle.textContent = data.indicators[current].label; }
    }

    function paint() {
      layers.forEach(function (layer) {
        layer.setStyle({ fillColor: colourOf(layer.esepKato) });
      });
      element.dataset.indicator = current;
      drawLegend();
      document.querySelectorAll("#areas-table [data-indicator]").forEach(function (cell) {
        var isPicked = cell.dataset.indicator === current;
        cell.classList.toggle("picked", isPicked);
        var old = cell.querySelector(".cell-swatch");
        if (old) {
          var next = old.nextSibling;
          cell.removeChild(old);
          if (next && next.nodeType === 3) { next.textContent = next.textContent.replace(/^\s+/, ""); }
        }
        var row = cell.closest("tr[data-kato]");
        if (isPicked && row) {
          cell.insertBefore(document.createTextNode(" "), cell.firstChild);
          cell.insertBefore(swatch(colourOf(row.dataset.kato), 10, "swatch cell-swatch"), cell.firstChild);
        }
      });
      // Links of the table (sorting, drill-down) keep the picked indicator.
      document.querySelectorAll("#areas a[href*='indicator=']").forEach(function (link) {
        var url = new URL(link.href, window.location.href);
        url.searchParams.set("indicator", current);
        link.href = url.pathname + url.search + url.hash;
      });
    }

    function areaUrl(kato) {
      return data.urlTemplate.replace("000000000", kato) + "?indicator=" + encodeURIComponent(current);
    }

    var map = L.map(element, { zoomSnap: 0.25, scrollWheelZoom: false, attributionControl: true, zoomControl: false });
    // Leaflet's own zoom buttons are labelled in English: the page gives the labels in its language.
    L.control.zoom({ zoomInTitle: element.dataset.zoomIn, zoomOutTitle: element.dataset.zoomOut }).addTo(map);
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(data.attribution);

    fetch(data.geojson, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("boundaries: HTTP " + response.status); }
        return response.json();
      })
      .then(function (collection) {
        var features = collection.features.filter(function (feature) {
          return Object.prototype.hasOwnProperty.call(data.names, (feature.properties || {}).KATO);
        });
        var group = L.geoJSON({ type: "FeatureCollection", features: features }, {
          style: function (feature) {
            return { color: "#4a5566", weight: 1, fillColor: colourOf(feature.properties.KATO), fillOpacity: 0.85 };
          },
          onEachFeature: function (feature, layer) {
            var kato = feature.properties.KATO;
            layer.esepKato = kato;
            layers.push(layer);
            layer.bindTooltip(function () { return tooltipOf(kato); }, { sticky: true });
            layer.on("mouseover", function () { layer.setStyle({ weight: 3, color: "#1d2430" }); layer.bringToFront(); });
            layer.on("mouseout", function () { layer.setStyle({ weight: 1, color: "#4a5566" }); });
            layer.on("click", function () { window.location.href = areaUrl(kato); });
          }
        }).addTo(map);
        if (features.length) { map.fitBounds(group.getBounds()); }
        // Paths exist once the map has a view: name each with its area's code.
        layers.forEach(function (layer) {
          var path = layer.getElement && layer.getElement();
          if (path) { path.setAttribute("data-kato", layer.esepKato); }
        });
        element.dataset.loaded = String(features.length);
      })
      .catch(function (error) {
        element.dataset.loaded = "error";
        element.textContent = error.message;
      });

    if (picker) {
      picker.addEventListener("change", function () {
        if (!data.indicators[picker.value]) { return; }
        current = picker.value;
        paint();
        var description = document.getElementById("indicator-description");
        var option = picker.options[picker.selectedIndex];
        if (description && option && option.dataset.description) { description.textContent = option.dataset.description; }
        if (window.history && window.history.replaceState) {
          var url = new URL(window.location.href);
          url.searchParams.set("indicator", current);
          window.history.replaceState(null, "", url.toString());
        }
      });
    }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
