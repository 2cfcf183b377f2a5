// @ts-check
// The grid worker's workspace (/w): improvements over plain forms that work without it.
// - Offline: a service worker (/w/sw.js) keeps the workspace's pages; every report, visit
//   and resolution goes through the outbox (outbox.js), so nothing made without a signal
//   is lost, and it is sent by itself, oldest first, when the network returns.
// - The report form keeps a draft on this phone until it is queued; photos are
//   downscaled; a small map (our own Leaflet) shows the position and the pin can be dragged.
// - The visit form adds the position; the household list filters as you type.
import { say, shrink, previewInto, locate, newKey, showErrors, clearErrors } from './common.js';
import * as outbox from './outbox.js';

document.documentElement.classList.add('js');
const bar = document.getElementById('outbox-bar');
/** The page's words, rendered by the server in the user's language (one JSON attribute). */
const words = /** @type {Record<string, string>} */ (JSON.parse(bar?.dataset.words || '{}'));
const account = Number(bar?.dataset.account || 0);
const en = document.documentElement.lang === 'en';

/** @param {HTMLFormElement} form @param {string} name */
const field = (form, name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));

// ---- The outbox: count on every page, sending whenever there is a network -------------
async function showCount() {
  if (!bar || !account) return;
  const list = await outbox.entries(account);
  const open = list.filter((e) => e.state !== 'sent').length;
  const onOutbox = location.pathname === '/w/outbox';
  const link = bar.querySelector('a');
  if (link) link.hidden = open === 0 || onOutbox;
  if (link) link.textContent = (words.waitingCount || '{n}').replace('{n}', String(open));
  // Without a signal the page is the kept copy: say so, so nobody takes it for live.
  const note = bar.querySelector('.offline-note');
  if (note) note.textContent = navigator.onLine ? '' : (words.offlineNote || '') + ' ';
  bar.hidden = navigator.onLine && (open === 0 || onOutbox);
}

/** Sends what waits; the outbox page redraws itself. @param {boolean} force */
async function flush(force) {
  if (!account) return null;
  const stopped = await outbox.flush(account, force).catch(() => 'offline');
  await showCount();
  document.dispatchEvent(new CustomEvent('outbox-changed', { detail: stopped }));
  return stopped;
}

if (account && window.indexedDB) {
  showCount();
  if (navigator.onLine) flush(false);
  window.addEventListener('online', () => flush(true));
  window.addEventListener('offline', () => showCount());
  // Backed-off entries are tried again while the workspace is open.
  setInterval(() => { if (navigator.onLine) flush(false); }, 30000);
  const list = document.getElementById('outbox');
  // Only the outbox page draws the list: other pages do not load its code.
  if (list) import('./outbox-view.js').then((m) => m.renderOutbox(list, account, words, en, flush));
}

/**
 * Queues a form's write and sends it (older entries first). Sent: on to the server's
 * answer; refused at once: the reason on the form, nothing kept; anything else (no
 * network, server trouble, signed out): kept, and the outbox page says so.
 * @param {HTMLFormElement} form
 * @param {outbox.Kind} kind
 * @param {string} textField the field the worker may edit after a refusal
 * @param {Blob[]} photos
 * @param {string} label
 * @param {() => void} [onQueued] once the outbox holds it
 * @returns {Promise<boolean>} whether it left this page
 */
async function queue(form, kind, textField, photos, label, onQueued) {
  /** @type {[string, string][]} */
  const fields = [];
  new FormData(form).forEach((v, k) => {
    if (typeof v === 'string' && k !== 'photo' && k !== 'idempotency_key') fields.push([k, v]);
  });
  const text = field(form, textField).value;
  /** @type {outbox.Entry} */
  let entry;
  try {
    entry = await outbox.add({ account, kind, url: form.action, label, text, textField, fields, photos, key: newKey() });
  } catch (e) {
    showErrors(form, { message: e instanceof outbox.OutboxFull ? words.full : words.noStorage }, words.notSaved || '', en);
    return false;
  }
  if (onQueued) onQueued();
  const status = document.getElementById('send-status');
  say(status, words.sending);
  if (navigator.onLine) await outbox.flush(account, true).catch(() => null);
  const now = (await outbox.entries(account)).find((e) => e.id === entry.id) || entry;
  if (now.state === 'sent' && now.answer?.url) {
    location.href = now.answer.url;
    return true;
  }
  if (now.state === 'refused' && now.id !== undefined) {
    await outbox.remove(now.id);
    say(status, '');
    showErrors(form, now.refusal || {}, words.notSaved || '', en);
    return false;
  }
  location.href = '/w/outbox?queued=' + entry.id;
  return true;
}

/**
 * A form sent through the outbox.
 * @param {HTMLFormElement} form
 * @param {(form: HTMLFormElement) => Promise<boolean>} submit
 */
function onSubmit(form, submit) {
  let busy = false;
  const button = /** @type {HTMLButtonElement | null} */ (form.querySelector('button[type=submit]'));
  form.addEventListener('submit', async (ev) => {
    if (!account || !window.indexedDB) return; // the plain form
    ev.preventDefault();
    if (busy) return;
    busy = true;
    if (button) button.disabled = true;
    clearErrors(form);
    try {
      if (await submit(form)) return;
    } finally {
      busy = false;
      if (button) button.disabled = false;
    }
  });
}

/** The chosen files of a form, downscaled. @param {HTMLFormElement} form */
function chosenPhotos(form) {
  /** @type {File[]} */
  const files = [];
  form.querySelectorAll('input[type=file]').forEach((i) => files.push(...Array.from(/** @type {HTMLInputElement} */ (i).files || [])));
  return Promise.all(files.map((f) => shrink(f, 0.8)));
}

// ---- One-tap report -------------------------------------------------------------------
const report = /** @type {HTMLFormElement | null} */ (document.getElementById('quick-report'));
if (report) startReport(report);

/** @param {HTMLFormElement} form */
function startReport(form) {
  const d = form.dataset, KEY = 'gridgov.report.draft';
  const draftEl = document.getElementById('draft-status');
  const locEl = document.getElementById('locate-status');
  /** @type {Blob | null} the downscaled photo */
  let photo = null;
  const store = window.localStorage;
  const checked = (/** @type {string} */ name) => /** @type {HTMLInputElement | null} */ (form.querySelector('[name=' + name + ']:checked'));

  const draft = () => ({ category: checked('category')?.value, description: field(form, 'description').value,
    lat: field(form, 'lat').value, lng: field(form, 'lng').value, mode: checked('mode')?.value });
  function saveDraft() {
    /** @type {Record<string, unknown>} */
    const v = draft();
    const write = (/** @type {string | null} */ p) => {
      v.photo = p;
      try { store.setItem(KEY, JSON.stringify(v)); } catch { v.photo = null; try { store.setItem(KEY, JSON.stringify(v)); } catch { /* full */ } }
    };
    if (photo) toDataUrl(photo).then(write); else write(null);
  }
  // Restore what was typed and not yet queued (the page was closed, the phone restarted).
  try {
    const old = JSON.parse(store.getItem(KEY) || 'null');
    if (old && (old.description || old.photo)) {
      if (old.category) { const c = /** @type {HTMLInputElement | null} */ (form.querySelector('[name=category][value="' + old.category + '"]')); if (c) c.checked = true; }
      field(form, 'description').value = old.description || '';
      if (old.lat) { field(form, 'lat').value = old.lat; field(form, 'lng').value = old.lng; }
      if (old.mode) { const m = /** @type {HTMLInputElement | null} */ (form.querySelector('[name=mode][value="' + old.mode + '"]')); if (m) m.checked = true; }
      if (old.photo) { photo = fromDataUrl(old.photo); previewInto(document.getElementById('previews'), [photo]); }
      if (draftEl) draftEl.textContent = d.draft || '';
    }
  } catch { /* no storage: the form still works */ }

  const pin = pickMap(form, (lat, lng) => setPoint(lat, lng, false));
  /** @param {number | string} lat @param {number | string} lng @param {boolean} move */
  function setPoint(lat, lng, move) {
    field(form, 'lat').value = (+lat).toFixed(6);
    field(form, 'lng').value = (+lng).toFixed(6);
    pin.move(+lat, +lng, move);
    saveDraft();
  }
  if (!field(form, 'lat').value) {
    say(locEl, d.locating);
    locate((lat, lng, acc) => { setPoint(lat, lng, true); say(locEl, d.locationSet + ' (±' + Math.round(acc) + ' m)'); },
      () => {
        if (!field(form, 'lat').value && d.centreLat && d.centreLat !== '0') setPoint(d.centreLat, d.centreLng || 0, false);
        say(locEl, d.locationFailed);
      });
  }

  form.addEventListener('input', saveDraft);
  form.addEventListener('change', (e) => {
    const target = /** @type {HTMLInputElement} */ (e.target);
    if (target.type !== 'file') { saveDraft(); return; }
    const f = target.files?.[0];
    if (!f) return;
    shrink(f, 0.8).then((b) => { photo = b; previewInto(document.getElementById('previews'), [b]); saveDraft(); });
  });
  onSubmit(form, async () => {
    const label = checked('category')?.closest('label')?.textContent?.trim() || '';
    // Once queued, the outbox holds it, not the draft.
    const forget = () => { try { store.removeItem(KEY); } catch { /* ignore */ } };
    return queue(form, 'report', 'description', photo ? [photo] : [], label, forget);
  });
}

/** @param {Blob} blob @returns {Promise<string | null>} */
function toDataUrl(blob) {
  return new Promise((resolve) => {
    const r = new FileReader();
    r.onload = () => resolve(/** @type {string} */ (r.result));
    r.onerror = () => resolve(null);
    r.readAsDataURL(blob);
  });
}
/** @param {string} url */
function fromDataUrl(url) {
  const bin = atob(url.split(',')[1]);
  const arr = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) arr[i] = bin.charCodeAt(i);
  return new Blob([arr], { type: 'image/jpeg' });
}

/**
 * The report's map: our own Leaflet without tiles (intranet); the grid's outline is enough
 * to aim. Offline, or without Leaflet, the latitude and longitude fields still work.
 * @param {HTMLFormElement} form
 * @param {(lat: number, lng: number) => void} onPick
 */
function pickMap(form, onPick) {
  const none = { move: (/** @type {number} */ _a, /** @type {number} */ _b, /** @type {boolean} */ _m) => {} };
  const mapEl = document.getElementById('pick-map');
  /** @type {any} */
  const L = /** @type {any} */ (window).L;
  if (!mapEl || !L) return none;
  const d = form.dataset;
  const lat0 = parseFloat(field(form, 'lat').value) || parseFloat(d.centreLat || '') || 0;
  const lng0 = parseFloat(field(form, 'lng').value) || parseFloat(d.centreLng || '') || 0;
  if (!lat0 && !lng0) { mapEl.hidden = true; return none; }
  const map = L.map(mapEl, { attributionControl: false }).setView([lat0, lng0], 16);
  const pin = L.marker([lat0, lng0], { draggable: true }).addTo(map);
  pin.on('dragend', () => { const p = pin.getLatLng(); onPick(p.lat, p.lng); });
  map.on('click', (/** @type {any} */ e) => onPick(e.latlng.lat, e.latlng.lng));
  fetch('/api/v1/locate?lat=' + lat0 + '&lng=' + lng0, { credentials: 'same-origin' })
    .then((r) => (r.ok ? r.json() : null))
    .then((g) => (g && g.code ? fetch('/api/v1/territory/' + g.code + '/boundary', { credentials: 'same-origin' }) : null))
    .then((r) => (r && r.ok ? r.json() : null))
    .then((gj) => {
      if (!gj) return;
      const outline = L.geoJSON(gj, { style: { color: '#b71c1c', weight: 2, fillOpacity: 0.06 } }).addTo(map);
      map.fitBounds(outline.getBounds(), { padding: [12, 12] });
    })
    .catch(() => {});
  return { move: (/** @type {number} */ lat, /** @type {number} */ lng, /** @type {boolean} */ pan) => { pin.setLatLng([lat, lng]); if (pan) map.panTo([lat, lng]); } };
}

// ---- Resolve on the spot ----------------------------------------------------------------
const resolve = /** @type {HTMLFormElement | null} */ (document.getElementById('resolve'));
if (resolve) {
  resolve.addEventListener('change', (e) => {
    const t = /** @type {HTMLInputElement} */ (e.target);
    if (t.type === 'file') previewInto(document.getElementById('previews'), Array.from(t.files || []));
  });
  onSubmit(resolve, async (form) => {
    const h1 = document.querySelector('main h1')?.textContent || '';
    const code = document.querySelector('main .mono')?.textContent || '';
    return queue(form, 'resolve', 'result', await chosenPhotos(form), (h1 + ' ' + code).trim());
  });
}

// ---- The visit form: the position, and the outbox ---------------------------------------
const visit = /** @type {HTMLFormElement | null} */ (document.getElementById('visit'));
if (visit) {
  locate((lat, lng) => { field(visit, 'lat').value = lat.toFixed(6); field(visit, 'lng').value = lng.toFixed(6); }, () => {});
  onSubmit(visit, async (form) => {
    const label = document.querySelector('main h1')?.textContent || '';
    return queue(form, 'visit', 'notes', await chosenPhotos(form), label);
  });
}

// ---- Filter the household list ----------------------------------------------------------
const filter = /** @type {HTMLInputElement | null} */ (document.getElementById('household-filter'));
const households = document.getElementById('households');
if (filter && households) {
  const none = document.getElementById('households-none');
  filter.addEventListener('input', () => {
    const q = filter.value.trim();
    let shown = 0;
    households.querySelectorAll('li').forEach((li) => {
      li.hidden = !!q && (li.textContent || '').indexOf(q) < 0;
      if (!li.hidden) shown++;
    });
    // Say so when nothing matches, instead of leaving an empty page.
    if (none) none.hidden = !(q && shown === 0);
  });
}

// ---- Installable and offline: the service worker ----------------------------------------
if ('serviceWorker' in navigator && account) registerWorker();

async function registerWorker() {
  const reg = await navigator.serviceWorker.register('/w/sw.js', { scope: '/w' }).catch(() => null);
  if (!reg) return;
  // A new version waits until the worker chooses to reload (nothing typed is lost); the
  // first install takes over quietly.
  let chosen = false;
  const offer = () => {
    const note = document.getElementById('update-bar');
    if (!note || !reg.waiting) return;
    note.hidden = false;
    note.querySelector('button')?.addEventListener('click', () => {
      chosen = true;
      reg.waiting?.postMessage({ type: 'skip-waiting' });
    });
  };
  if (reg.waiting && navigator.serviceWorker.controller) offer();
  reg.addEventListener('updatefound', () => {
    const next = reg.installing;
    next?.addEventListener('statechange', () => { if (next.state === 'installed' && navigator.serviceWorker.controller) offer(); });
  });
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (!chosen) return;
    chosen = false;
    location.reload();
  });
  navigator.serviceWorker.addEventListener('message', (ev) => {
    if (ev.data?.type === 'warmed') document.documentElement.dataset.offlinePages = String(ev.data.pages);
  });
  const sw = await navigator.serviceWorker.ready;
  // The pages kept are this account's: another account on this phone starts afresh.
  // A page that says something was just done (sent, resolved, logged) has new links to keep.
  const force = /[?&](sent|done|logged)=/.test(location.search);
  if (navigator.onLine) sw.active?.postMessage({ type: 'account', account, force });
}
