// Grid worker's workspace (/w): improvements over plain forms that work without it.
// - The report form keeps a draft on this phone (text, category, position and the
//   downscaled photo) until the server says it is stored; it retries on a weak network
//   with the same idempotency key, so nothing is filed twice and nothing typed is lost.
// - A small map (our own Leaflet) shows the position; the pin can be dragged.
// - The visit form adds the position; the household list filters as you type.
(function () {
  'use strict';
  document.documentElement.classList.add('js');
  var MAX_SIDE = 1600;
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  function say(el, text, cls) { if (!el) return; el.textContent = text || ''; el.className = 'send-status ' + (cls || ''); }

  function shrink(file) {
    if (!window.createImageBitmap || !/^image\//.test(file.type)) return Promise.resolve(file);
    return createImageBitmap(file, { imageOrientation: 'from-image' }).then(function (bmp) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bmp.width, bmp.height));
      var canvas = document.createElement('canvas');
      canvas.width = Math.round(bmp.width * scale);
      canvas.height = Math.round(bmp.height * scale);
      canvas.getContext('2d').drawImage(bmp, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (b) { resolve(b && b.size < file.size ? b : file); }, 'image/jpeg', 0.8);
      });
    }).catch(function () { return file; });
  }
  function toDataUrl(blob) {
    return new Promise(function (resolve) {
      var r = new FileReader();
      r.onload = function () { resolve(r.result); };
      r.onerror = function () { resolve(null); };
      r.readAsDataURL(blob);
    });
  }
  function fromDataUrl(url) {
    var parts = url.split(','), bin = atob(parts[1]), arr = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) arr[i] = bin.charCodeAt(i);
    return new Blob([arr], { type: 'image/jpeg' });
  }
  function previewInto(el, blobs) {
    if (!el) return;
    el.textContent = '';
    blobs.forEach(function (b) { var img = document.createElement('img'); img.alt = ''; img.src = URL.createObjectURL(b); el.appendChild(img); });
  }
  function locate(onPoint, onFail) {
    if (!navigator.geolocation) { onFail(); return; }
    navigator.geolocation.getCurrentPosition(function (p) { onPoint(p.coords.latitude, p.coords.longitude, p.coords.accuracy); },
      onFail, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }

  // ---- One-tap report -------------------------------------------------------------
  var form = document.getElementById('quick-report');
  if (form && window.fetch && window.FormData && window.Promise) {
    var d = form.dataset, KEY = 'gridgov.report.draft';
    var statusEl = document.getElementById('send-status');
    var draftEl = document.getElementById('draft-status');
    var locEl = document.getElementById('locate-status');
    var button = form.querySelector('button[type=submit]');
    var photo = null; // the downscaled photo (Blob)
    var store = window.localStorage;

    function draft() {
      return { key: form.elements.idempotency_key.value, category: (form.querySelector('[name=category]:checked') || {}).value,
        description: form.elements.description.value, lat: form.elements.lat.value, lng: form.elements.lng.value,
        mode: (form.querySelector('[name=mode]:checked') || {}).value };
    }
    function saveDraft() {
      var v = draft();
      var write = function (p) { v.photo = p; try { store.setItem(KEY, JSON.stringify(v)); } catch (e) { v.photo = null; try { store.setItem(KEY, JSON.stringify(v)); } catch (e2) { /* full */ } } };
      if (photo) toDataUrl(photo).then(write); else write(null);
    }
    // Restore an unsent draft, with its idempotency key: a report that did reach the
    // server before the connection dropped is then answered, not filed again.
    try {
      var old = JSON.parse(store.getItem(KEY) || 'null');
      if (old && (old.description || old.photo)) {
        form.elements.idempotency_key.value = old.key;
        if (old.category) { var c = form.querySelector('[name=category][value="' + old.category + '"]'); if (c) c.checked = true; }
        form.elements.description.value = old.description || '';
        if (old.lat) { form.elements.lat.value = old.lat; form.elements.lng.value = old.lng; }
        if (old.mode) { var m = form.querySelector('[name=mode][value="' + old.mode + '"]'); if (m) m.checked = true; }
        if (old.photo) { photo = fromDataUrl(old.photo); previewInto(document.getElementById('previews'), [photo]); }
        if (draftEl) draftEl.textContent = d.draft;
      }
    } catch (e) { /* no storage: the form still works */ }

    // The map: our own Leaflet without tiles (intranet), the grid's outline is enough to aim.
    var map = null, pin = null;
    var mapEl = document.getElementById('pick-map');
    function setPoint(lat, lng, move) {
      form.elements.lat.value = (+lat).toFixed(6);
      form.elements.lng.value = (+lng).toFixed(6);
      if (pin) { pin.setLatLng([lat, lng]); if (move) map.panTo([lat, lng]); }
      saveDraft();
    }
    if (mapEl && window.L) {
      var lat0 = parseFloat(form.elements.lat.value) || parseFloat(d.centreLat) || 0;
      var lng0 = parseFloat(form.elements.lng.value) || parseFloat(d.centreLng) || 0;
      if (lat0 || lng0) {
        map = L.map(mapEl, { attributionControl: false }).setView([lat0, lng0], 16);
        pin = L.marker([lat0, lng0], { draggable: true }).addTo(map);
        pin.on('dragend', function () { var p = pin.getLatLng(); setPoint(p.lat, p.lng, false); });
        map.on('click', function (e) { setPoint(e.latlng.lat, e.latlng.lng, false); });
        fetch('/api/v1/locate?lat=' + lat0 + '&lng=' + lng0, { credentials: 'same-origin' }).then(function (r) { return r.ok ? r.json() : null; })
          .then(function (g) { if (g && g.code) return fetch('/api/v1/territory/' + g.code + '/boundary', { credentials: 'same-origin' }); })
          .then(function (r) { return r && r.ok ? r.json() : null; })
          .then(function (gj) {
            if (!gj) return;
            var outline = L.geoJSON(gj, { style: { color: '#b71c1c', weight: 2, fillOpacity: 0.06 } }).addTo(map);
            map.fitBounds(outline.getBounds(), { padding: [12, 12] });
          })
          .catch(function () {});
      } else { mapEl.hidden = true; }
    }
    if (!form.elements.lat.value) {
      say(locEl, d.locating);
      locate(function (lat, lng, acc) { setPoint(lat, lng, true); locEl.textContent = d.locationSet + ' (±' + Math.round(acc) + ' m)'; },
        function () {
          if (!form.elements.lat.value && d.centreLat && d.centreLat !== '0') { setPoint(d.centreLat, d.centreLng, false); }
          locEl.textContent = d.locationFailed;
        });
    }

    form.addEventListener('input', saveDraft);
    form.addEventListener('change', function (e) {
      if (e.target.type !== 'file') { saveDraft(); return; }
      var f = e.target.files[0];
      if (!f) return;
      shrink(f).then(function (b) { photo = b; previewInto(document.getElementById('previews'), [b]); saveDraft(); });
    });

    var busy = false;
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      if (busy) return;
      busy = true; button.disabled = true;
      saveDraft();
      say(statusEl, d.sending);
      var body = new FormData();
      new FormData(form).forEach(function (v, k) { if (k !== 'photo') body.append(k, v); });
      if (photo) body.append('photo', photo, 'photo.jpg');
      send(body, 0).then(function (res) {
        if (!res) { say(statusEl, d.notSent, 'not-sent'); return; }
        return res.json().catch(function () { return {}; }).then(function (json) {
          if (res.ok && json.url) {
            try { store.removeItem(KEY); } catch (e) { /* ignore */ }
            say(statusEl, d.sent, 'sent');
            window.location.href = json.url;
            return;
          }
          say(statusEl, d.notSaved + ((d.lang === 'en' ? json.message_en : json.message) || ''), 'not-sent');
        });
      }).finally(function () { busy = false; button.disabled = false; });
    });
    function send(body, attempt) {
      return fetch(form.action, { method: 'POST', body: body, credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
        .then(function (res) {
          if (res.status < 500 && res.status !== 408) return res;
          // An outage that says why (503) is shown once retrying is over, or at once if it
          // asks for a long wait (the draft stays kept either way).
          if (res.status === 503 && (attempt >= 4 || Number(res.headers.get('Retry-After')) > 15)) return res;
          throw new Error('server ' + res.status);
        })
        .catch(function () {
          if (attempt >= 4) return null;
          say(statusEl, d.notSent, 'not-sent');
          return sleep(1000 * Math.pow(2, attempt)).then(function () { return send(body, attempt + 1); });
        });
    }
    // Back online: try the unsent report again by itself.
    window.addEventListener('online', function () { if (statusEl.classList.contains('not-sent') && !busy) form.requestSubmit(); });
  }

  // ---- Photo previews on the other forms --------------------------------------------
  var resolve = document.getElementById('resolve');
  if (resolve) resolve.addEventListener('change', function (e) {
    if (e.target.type === 'file') previewInto(document.getElementById('previews'), Array.prototype.slice.call(e.target.files));
  });

  // ---- The visit form: add the position -----------------------------------------------
  var visit = document.getElementById('visit');
  if (visit) locate(function (lat, lng) { visit.elements.lat.value = lat.toFixed(6); visit.elements.lng.value = lng.toFixed(6); }, function () {});

  // ---- Filter the household list --------------------------------------------------------
  var filter = document.getElementById('household-filter');
  var list = document.getElementById('households');
  var none = document.getElementById('households-none');
  if (filter && list) filter.addEventListener('input', function () {
    var q = filter.value.trim();
    var shown = 0;
    list.querySelectorAll('li').forEach(function (li) {
      li.hidden = q && li.textContent.indexOf(q) < 0;
      if (!li.hidden) shown++;
    });
    // Say so when nothing matches, instead of leaving an empty page.
    if (none) none.hidden = !(q && shown === 0);
  });
})();
