/* Inside the heatmap document (geodata.mapdoc, loaded with defer). The document carries an
   empty heat layer; this script fills it from /api/stats/heatmap/ with the page's filters:
   the province-wide 5 km grid while the view is wider than a county, the 1 km grid of what
   is in view once zoomed in, again after every move. Weights are scaled so that the 95th
   percentile cell is drawn at full colour. When a load finishes, <html data-heat-level>
   says which grid is drawn (0 = 5 km, 1 = 1 km) and data-heat-points how many cells. */
(function () {
  "use strict";
  var cfg = window.NX_HEAT;
  var map = window.NX_MAP;
  var layer = cfg && window[cfg.layer];
  if (!map || !layer) { return; }
  var seq = 0;
  var shown = null;  // "" for the coarse grid, else the bbox drawn

  function draw(data) {
    var points = data.points;
    var scale = Math.max(1, data.scale || 1);
    layer.setLatLngs(points.map(function (p) { return [p[0], p[1], Math.min(1, p[2] / scale)]; }));
    document.documentElement.dataset.heatLevel = String(data.level);
    document.documentElement.dataset.heatPoints = String(points.length);
  }

  function load(bbox) {
    var mine = ++seq;
    shown = bbox;
    var url = cfg.api + "?" + cfg.query + (bbox ? "&bbox=" + bbox : "");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && mine === seq) { draw(data); } })
      .catch(function () { /* keep what is drawn */ });
  }

  function refresh() {
    var b = map.getBounds();
    var span = Math.max(b.getEast() - b.getWest(), b.getNorth() - b.getSouth());
    if (span <= cfg.fineSpan) {
      load([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(4); }).join(","));
    } else if (shown !== "") {
      load("");
    }
  }

  map.on("moveend", refresh);
  refresh();
})();
