/* Inside the choropleth document (loaded with defer): a click on a region of the scope opens
   its detail page in the dashboard window (the map is an iframe of the same origin). */
(function () {
  "use strict";
  var map = window.NX_MAP;
  if (!map) { return; }
  map.eachLayer(function (layer) {
    var props = layer.feature && layer.feature.properties;
    if (props && props.href) {
      layer.on("click", function () { window.parent.location.assign(props.href); });
    }
  });
})();
