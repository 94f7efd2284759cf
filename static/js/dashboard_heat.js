/* Inside the heatmap document (geodata.mapdoc, loaded with defer): when the view is zoomed in
   to a county or closer, replace the province-wide 5 km grid by the 1 km grid of what is in
   view, from /api/stats/heatmap/ with the page's filters and the view's bbox; zoomed back out,
   the coarse grid returns. Weights are scaled like the server does (95th percentile = full). */
(function () {
  "use strict";
  var cfg = window.NX_HEAT;
  var map = window.NX_MAP;
  var layer = cfg && window[cfg.layer];
  if (!map || !layer) { return; }
  var seq = 0;
  var fine = false;

  function scaleOf(points) {
    if (!points.length) { return 1; }
    var w = points.map(function (p) { return p[2]; }).sort(function (a, b) { return a - b; });
    return Math.max(1, w[Math.floor(0.95 * (w.length - 1))]);
  }

  function draw(points) {
    var scale = scaleOf(points);
    layer.setLatLngs(points.map(function (p) { return [p[0], p[1], Math.min(1, p[2] / scale)]; }));
  }

  function load(bbox) {
    var mine = ++seq;
    var url = cfg.api + "?" + cfg.query + (bbox ? "&bbox=" + bbox : "");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data && mine === seq) {
          draw(data.points);
          document.documentElement.dataset.heatLevel = String(data.level);
        }
      })
      .catch(function () { /* keep what is drawn */ });
  }

  map.on("moveend", function () {
    var b = map.getBounds();
    var span = Math.max(b.getEast() - b.getWest(), b.getNorth() - b.getSouth());
    if (span <= cfg.fineSpan) {
      fine = true;
      load([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(4); }).join(","));
    } else if (fine) {
      fine = false;
      load("");
    }
  });
  document.documentElement.dataset.heatLevel = "0";
})();
