// Residents' report page: optional improvements over the plain HTML form, which works
// without this file. Photos are downscaled in the browser (a 4 MB phone photo becomes
// ~300 KB), the position can be added, and sending retries on a weak network with the
// same idempotency key, so a retry never files the report twice.
(function () {
  'use strict';
  document.documentElement.classList.add('js');
  var form = document.getElementById('report');
  if (!form || !window.fetch || !window.FormData || !window.Promise) return;
  var d = form.dataset;
  var en = d.lang === 'en';
  var sendStatus = document.getElementById('send-status');
  var button = form.querySelector('button[type=submit]');
  var MAX_SIDE = 1600;

  function say(el, text) { if (el) el.textContent = text || ''; }
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  // Position (optional): fills the hidden lat/lng fields.
  var locate = document.getElementById('locate');
  var locateStatus = document.getElementById('locate-status');
  if (locate && navigator.geolocation) {
    locate.addEventListener('click', function () {
      navigator.geolocation.getCurrentPosition(function (p) {
        form.elements.lat.value = p.coords.latitude.toFixed(6);
        form.elements.lng.value = p.coords.longitude.toFixed(6);
        say(locateStatus, d.locationSet + ' (±' + Math.round(p.coords.accuracy) + ' m)');
      }, function () {
        say(locateStatus, d.locationFailed);
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  } else if (locate) {
    locate.hidden = true;
  }

  function files() {
    var out = [];
    form.querySelectorAll('input[type=file]').forEach(function (input) {
      for (var i = 0; i < input.files.length; i++) out.push(input.files[i]);
    });
    return out;
  }

  // Thumbnails of the chosen photos.
  var previews = document.getElementById('previews');
  form.addEventListener('change', function (e) {
    if (e.target.type !== 'file' || !previews) return;
    previews.textContent = '';
    files().forEach(function (f) {
      var img = document.createElement('img');
      img.alt = '';
      img.src = URL.createObjectURL(f);
      previews.appendChild(img);
    });
  });

  // A JPEG no longer than MAX_SIDE; anything the browser cannot read goes as it is and
  // the server says what is wrong with it.
  function shrink(file) {
    if (!window.createImageBitmap || !/^image\//.test(file.type)) return Promise.resolve(file);
    return createImageBitmap(file, { imageOrientation: 'from-image' }).then(function (bmp) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bmp.width, bmp.height));
      var canvas = document.createElement('canvas');
      canvas.width = Math.round(bmp.width * scale);
      canvas.height = Math.round(bmp.height * scale);
      canvas.getContext('2d').drawImage(bmp, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (b) { resolve(b && b.size < file.size ? b : file); }, 'image/jpeg', 0.82);
      });
    }).catch(function () { return file; });
  }

  function clearErrors() {
    form.querySelectorAll('.field-error.js-made').forEach(function (e) { e.remove(); });
    var old = document.getElementById('form-alert');
    if (old) old.remove();
  }

  function showErrors(body) {
    var alert = document.createElement('div');
    alert.className = 'alert';
    alert.id = 'form-alert';
    alert.setAttribute('role', 'alert');
    var strong = document.createElement('strong');
    strong.textContent = d.notSaved;
    alert.appendChild(strong);
    alert.appendChild(document.createTextNode((en ? body.message_en : body.message) || ''));
    form.parentNode.insertBefore(alert, form);
    (body.errors || []).forEach(function (fe) {
      var target = form.querySelector('[name="' + fe.field + '"]');
      var anchor = target && (target.closest('fieldset') || target);
      if (!anchor) return;
      var p = document.createElement('p');
      p.className = 'field-error js-made';
      p.textContent = en ? fe.message_en : fe.message;
      anchor.parentNode.insertBefore(p, anchor.nextSibling);
    });
    alert.scrollIntoView({ block: 'start' });
  }

  var busy = false;
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    if (busy) return;
    busy = true;
    button.disabled = true;
    clearErrors();
    say(sendStatus, d.sending);
    var body = new FormData();
    new FormData(form).forEach(function (v, k) { if (k !== 'photo') body.append(k, v); });
    Promise.all(files().map(shrink)).then(function (photos) {
      photos.forEach(function (p, i) { body.append('photo', p, 'photo-' + (i + 1) + '.jpg'); });
      return send(body, 0);
    }).then(function (res) {
      if (!res) {
        say(sendStatus, d.notSent);
        return;
      }
      return res.json().catch(function () { return {}; }).then(function (json) {
        if (res.ok && json.url) {
          window.location.href = json.url + (json.url.indexOf('?') < 0 ? '?' : '&') + 'new=1';
          return;
        }
        say(sendStatus, '');
        showErrors(json);
      });
    }).finally(function () {
      busy = false;
      button.disabled = false;
    });
  });

  // Network errors and server trouble are retried with back-off (1, 2, 4, 8 s); a refusal
  // (4xx) is final and shown, and so is an outage's own explanation. The idempotency key makes the retries safe.
  function send(body, attempt) {
    return fetch('/api/v1/public/reports', {
      method: 'POST',
      body: body,
      credentials: 'same-origin',
      headers: { 'Idempotency-Key': form.elements.idempotency_key.value, 'Accept': 'application/json' }
    }).then(function (res) {
      if (res.status < 500 && res.status !== 408) return res;
      // An outage that says why (503: photos cannot be saved, the database is away) is
      // shown once retrying is over, or at once if it asks for a long wait.
      if (res.status === 503 && (attempt >= 4 || Number(res.headers.get('Retry-After')) > 15)) return res;
      throw new Error('server ' + res.status);
    }).catch(function () {
      if (attempt >= 4) return null;
      say(sendStatus, d.retrying);
      return sleep(1000 * Math.pow(2, attempt)).then(function () { return send(body, attempt + 1); });
    });
  }
})();
