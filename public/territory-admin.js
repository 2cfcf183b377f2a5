// /admin/territory: draws the territory on the page (the uploaded file, or the one in use)
// and every problem the check found, from the JSON block the server wrote into the page.
document.addEventListener('DOMContentLoaded', function () {
  var holder = document.getElementById('territory-map');
  var block = document.getElementById('territory-data');
  if (!holder || !block || !window.L) return;
  var data = JSON.parse(block.textContent || '{}');
  var features = data.features && data.features.features ? data.features : { type: 'FeatureCollection', features: [] };
  var map = L.map(holder, { zoomSnap: 0.25 });
  if (data.tile_url) L.tileLayer(data.tile_url, { maxZoom: 19 }).addTo(map);
  var weight = { street: 3, community: 2, grid: 1 };
  var layer = L.geoJSON(features, {
    style: function (f) {
      var level = f.properties && f.properties.level;
      return { color: level === 'grid' ? '#0b4a8f' : '#333', weight: weight[level] || 1, fill: level === 'grid', fillOpacity: 0.06 };
    },
    onEachFeature: function (f, l) {
      var p = f.properties || {};
      l.bindTooltip((p.code || '') + ' ' + (p.name || ''));
    }
  }).addTo(map);
  var marks = L.featureGroup().addTo(map);
  (data.problems || []).forEach(function (p) {
    if (typeof p.lng !== 'number' || typeof p.lat !== 'number') return;
    var text = document.createElement('div');
    text.textContent = p.code + ' · ' + p.message + (p.area_m2 ? ' (' + Math.round(p.area_m2) + ' m²)' : '');
    L.circleMarker([p.lat, p.lng], { radius: 8, color: '#b71c1c', weight: 2, fillColor: '#e53935', fillOpacity: 0.8 })
      .bindPopup(text).addTo(marks);
  });
  var bounds = layer.getBounds();
  if (marks.getLayers().length) bounds = bounds.isValid() ? bounds.extend(marks.getBounds()) : marks.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12] });
  else map.setView([30, 114], 4);
});
