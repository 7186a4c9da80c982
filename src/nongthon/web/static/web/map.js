/* The communes map (Leaflet): loads the JSON of web/maps.py, draws each commune as its polygon
 * (when a boundary file is loaded) or a point, colours it by title or criteria met for the year
 * on the slider, filters by district and title, and opens the commune's scorecard on click.
 * A plain background unless the server configured a tile layer. No inline script (CSP). */
(function () {
  "use strict";

  var ORDER = ["kieu_mau", "nang_cao", "ntm"]; // highest title first
  var element = document.getElementById("commune-map");
  var config = JSON.parse(document.getElementById("map-config").textContent);
  var labels = element.dataset;
  var map = L.map(element, { zoomSnap: 0.25 });
  if (config.tiles) {
    L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution, maxZoom: 18 }).addTo(map);
  }
  var controls = {
    year: document.getElementById("map-year"),
    yearShown: document.getElementById("map-year-shown"),
    colour: document.getElementById("map-colour"),
    district: document.getElementById("map-district"),
    tier: document.getElementById("map-tier"),
    count: document.getElementById("map-count")
  };

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function option(select, value, text) {
    var item = document.createElement("option");
    item.value = value;
    item.textContent = text;
    select.appendChild(item);
  }

  function heldOn(commune, day) {
    var held = {};
    commune.titles.forEach(function (t) {
      if (t[1] <= day && (t[2] === null || t[2] > day)) { held[t[0]] = true; }
    });
    for (var i = 0; i < ORDER.length; i++) { if (held[ORDER[i]]) { return ORDER[i]; } }
    return null;
  }

  function start(data) {
    var tierInfo = {};
    data.tiers.forEach(function (t) {
      tierInfo[t[0]] = { label: t[1], color: t[2] };
      option(controls.tier, t[0], t[1]);
    });
    var districtNames = {};
    data.districts.forEach(function (d) {
      districtNames[d[0]] = d[1];
      option(controls.district, String(d[0]), d[1]);
    });
    var years = data.years.length ? data.years : [new Date().getFullYear()];
    controls.year.min = years[0];
    controls.year.max = years[years.length - 1];
    controls.year.value = data.year || years[years.length - 1];
    controls.year.disabled = years.length < 2;
    document.getElementById("map-source").textContent = data.source;

    var group = L.featureGroup().addTo(map);
    var placed = [];
    var unplaced = 0;
    data.communes.forEach(function (commune) {
      var layer = null;
      if (commune.geometry) {
        layer = L.geoJSON(commune.geometry, {
          style: { className: "commune-shape", weight: 1, color: "#555", fillOpacity: 0.75 }
        });
      } else if (commune.lat !== null && commune.lon !== null) {
        layer = L.circleMarker([Number(commune.lat), Number(commune.lon)], {
          className: "commune-marker", radius: 7, weight: 1, color: "#333", fillOpacity: 0.9
        });
      }
      if (!layer) { unplaced += 1; return; }
      // The commune's id on its SVG element, for tests and assistive tools.
      layer.on("add", function () {
        var parts = layer.getLayers ? layer.getLayers() : [layer];
        parts.forEach(function (part) {
          var svg = part.getElement && part.getElement();
          if (svg) { svg.setAttribute("data-unit", commune.id); }
        });
      });
      layer.on("click", function () {
        var result = commune.years[controls.year.value];
        window.location.assign(result ? result.url : commune.url);
      });
      placed.push({ commune: commune, layer: layer });
    });

    function colourOf(commune, year, day) {
      if (controls.colour.value === "met") {
        var result = commune.years[year];
        if (!result) { return data.no_data_color; }
        if (result.met >= result.total) { return data.all_met_color; }
        for (var i = 0; i < data.bands.length; i++) {
          if (result.met >= data.bands[i][0]) { return data.bands[i][1]; }
        }
        return data.no_data_color;
      }
      var tier = heldOn(commune, day);
      return tier ? tierInfo[tier].color : data.no_data_color;
    }

    function tooltip(commune, year, day) {
      var tier = heldOn(commune, day);
      var result = commune.years[year];
      var lines = [
        "<strong>" + escapeHtml(commune.name) + "</strong>",
        escapeHtml(districtNames[commune.district] || ""),
        escapeHtml(tier ? tierInfo[tier].label : labels.labelNone),
        result
          ? result.met + "/" + result.total + " " + escapeHtml(labels.labelMet) + " (" + year + ")"
          : escapeHtml(labels.labelNoResult) + " (" + year + ")"
      ];
      return lines.join("<br>");
    }

    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      this.box = L.DomUtil.create("div", "map-legend");
      this.box.setAttribute("data-testid", "map-legend");
      return this.box;
    };
    legend.addTo(map);

    function redraw() {
      var year = controls.year.value;
      var day = year + "-12-31";
      controls.yearShown.textContent = year;
      var shown = 0;
      placed.forEach(function (item) {
        var commune = item.commune;
        var tier = heldOn(commune, day);
        var visible = (!controls.district.value || String(commune.district) === controls.district.value)
          && (!controls.tier.value || (controls.tier.value === "none" ? !tier : tier === controls.tier.value));
        if (!visible) { group.removeLayer(item.layer); return; }
        shown += 1;
        item.layer.setStyle({ fillColor: colourOf(commune, year, day) });
        item.layer.unbindTooltip();
        item.layer.bindTooltip(tooltip(commune, year, day), { sticky: true });
        group.addLayer(item.layer);
      });
      var entries = controls.colour.value === "met" ? data.legend.met : data.legend.title;
      legend.box.replaceChildren();
      entries.forEach(function (e) {
        var row = document.createElement("div");
        var swatch = document.createElement("i");
        swatch.style.background = e[1]; // CSSOM, not a style attribute: allowed by a CSP
        row.appendChild(swatch);
        row.appendChild(document.createTextNode(e[0]));
        legend.box.appendChild(row);
      });
      controls.count.textContent = shown + " " + labels.labelShown
        + (unplaced ? " · " + unplaced + " " + labels.labelUnplaced : "");
    }

    [controls.year, controls.colour, controls.district, controls.tier].forEach(function (c) {
      c.addEventListener("input", redraw);
      c.addEventListener("change", redraw);
    });
    redraw();
    var bounds = group.getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds.pad(0.05)); } else { map.setView([16, 106], 5); }
    element.dataset.ready = "true";
  }

  fetch(config.data, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.json(); })
    .then(start);
})();
