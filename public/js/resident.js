// @ts-check
// Residents' report page: optional improvements over the plain HTML form, which works
// without this file. Photos are downscaled in the browser (a 4 MB phone photo becomes
// ~300 KB), the position can be added, and sending retries on a weak network with the
// same idempotency key, so a retry never files the report twice.
import { say, shrink, previewInto, locate, showErrors, clearErrors, sendWithRetry } from './common.js';

document.documentElement.classList.add('js');
const form = /** @type {HTMLFormElement | null} */ (document.getElementById('report'));
if (form && 'fetch' in window && 'FormData' in window) start(form);

/** @param {HTMLFormElement} form */
function start(form) {
  const d = form.dataset;
  const en = d.lang === 'en';
  const sendStatus = document.getElementById('send-status');
  const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
  const field = (/** @type {string} */ name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));

  // Position (optional): fills the hidden lat/lng fields.
  const locateButton = document.getElementById('locate');
  const locateStatus = document.getElementById('locate-status');
  if (locateButton && navigator.geolocation) {
    locateButton.addEventListener('click', () => locate((lat, lng, acc) => {
      field('lat').value = lat.toFixed(6);
      field('lng').value = lng.toFixed(6);
      say(locateStatus, d.locationSet + ' (±' + Math.round(acc) + ' m)');
    }, () => say(locateStatus, d.locationFailed)));
  } else if (locateButton) {
    locateButton.hidden = true;
  }

  const files = () => {
    /** @type {File[]} */
    const out = [];
    form.querySelectorAll('input[type=file]').forEach((input) => {
      out.push(...Array.from(/** @type {HTMLInputElement} */ (input).files || []));
    });
    return out;
  };

  // Thumbnails of the chosen photos.
  form.addEventListener('change', (e) => {
    const target = /** @type {HTMLInputElement} */ (e.target);
    if (target.type === 'file') previewInto(document.getElementById('previews'), files());
  });

  let busy = false;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (busy) return;
    busy = true;
    button.disabled = true;
    clearErrors(form);
    say(sendStatus, d.sending);
    try {
      const body = new FormData();
      new FormData(form).forEach((v, k) => { if (k !== 'photo') body.append(k, v); });
      const photos = await Promise.all(files().map((f) => shrink(f)));
      photos.forEach((p, i) => body.append('photo', p, 'photo-' + (i + 1) + '.jpg'));
      // Network errors and server trouble are retried; a refusal (4xx) is final and shown.
      const res = await sendWithRetry('/api/v1/public/reports', body,
        { 'Idempotency-Key': field('idempotency_key').value }, () => say(sendStatus, d.retrying));
      if (!res) { say(sendStatus, d.notSent); return; }
      const json = await res.json().catch(() => ({}));
      if (res.ok && json.url) {
        window.location.href = json.url + (json.url.indexOf('?') < 0 ? '?' : '&') + 'new=1';
        return;
      }
      say(sendStatus, '');
      showErrors(form, json, d.notSaved || '', en);
    } finally {
      busy = false;
      button.disabled = false;
    }
  });
}
