// @ts-check
// /w/outbox: what waits on this phone, what was sent (with its tracking code) and what the
// server refused and why — with "edit and resend" or "discard". Drawn from IndexedDB.
import * as outbox from './outbox.js';
import { newKey } from './common.js';

/** @param {string} tag @param {string} [cls] @param {string} [text] */
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** `12-06 22:10` on the phone's clock. @param {number} ms */
function when(ms) {
  const d = new Date(ms);
  const two = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return two(d.getMonth() + 1) + '-' + two(d.getDate()) + ' ' + two(d.getHours()) + ':' + two(d.getMinutes());
}

/** @param {number} bytes */
const mb = (bytes) => (bytes / 1048576).toFixed(1) + ' MB';

/**
 * Draws the list and keeps it current.
 * @param {HTMLElement} list the <ol> to fill
 * @param {number} account
 * @param {Record<string, string>} w the page's words
 * @param {boolean} en
 * @param {(force: boolean) => Promise<unknown>} flush
 */
export function renderOutbox(list, account, w, en, flush) {
  const usage = document.getElementById('outbox-usage');
  const status = document.getElementById('outbox-status');
  const sendNow = /** @type {HTMLButtonElement | null} */ (document.getElementById('outbox-send'));
  const kinds = { report: w.kindReport, visit: w.kindVisit, resolve: w.kindResolve };
  const states = { waiting: w.stateWaiting, sent: w.stateSent, refused: w.stateRefused };

  async function draw(/** @type {string | null} */ stopped) {
    const entries = await outbox.entries(account);
    list.textContent = '';
    for (const e of entries.slice().reverse()) list.appendChild(item(e));
    const empty = document.getElementById('outbox-empty');
    if (empty) empty.hidden = entries.length > 0;
    if (usage) usage.textContent = (w.usage || '') + ' ' + mb(outbox.photoBytes(entries)) + ' / ' + mb(outbox.PHOTO_LIMIT);
    const waiting = entries.some((e) => e.state === 'waiting');
    if (status) {
      status.textContent = !navigator.onLine ? w.offline || ''
        : stopped === 'signed-out' ? w.signedOut || ''
        : stopped === 'server' ? w.serverTrouble || ''
        : waiting ? w.willSend || '' : '';
    }
    if (sendNow) sendNow.disabled = !waiting;
    // "Kept in the outbox" stops being true once it has gone.
    const queued = document.getElementById('outbox-queued');
    if (queued && !waiting) queued.hidden = true;
  }

  /** @param {outbox.Entry} e */
  function item(e) {
    const li = el('li', 'entry state-' + e.state);
    li.dataset.kind = e.kind;
    const head = el('div', 'entry-head');
    head.append(el('strong', '', kinds[e.kind] || e.kind), ' ', el('span', 'badge', states[e.state] || e.state), ' ', el('span', 'hint', when(e.created)));
    li.appendChild(head);
    if (e.label) li.appendChild(el('p', 'hint', e.label));
    li.appendChild(el('p', 'entry-text', e.text));
    if (e.photos.length) {
      const pics = el('div', 'previews');
      for (const p of e.photos) { const img = /** @type {HTMLImageElement} */ (el('img')); img.alt = ''; img.src = URL.createObjectURL(p); pics.appendChild(img); }
      li.appendChild(pics);
    }
    if (e.state === 'sent' && e.answer) {
      const p = el('p', 'sent');
      p.append(w.sentAs || '', ' ');
      const a = /** @type {HTMLAnchorElement} */ (el('a', 'mono', e.answer.code || w.open || ''));
      a.href = e.answer.url || '/w';
      p.appendChild(a);
      li.appendChild(p);
    }
    if (e.state === 'refused') li.appendChild(refused(e));
    else if (e.state === 'waiting') li.appendChild(discardButton(e));
    return li;
  }

  /** The refusal, the text to edit, resend and discard. @param {outbox.Entry} e */
  function refused(e) {
    const box = el('div', 'refusal');
    const alert = el('p', 'alert');
    alert.setAttribute('role', 'alert');
    alert.append(el('strong', '', w.refusedWhy || ''), (en ? e.refusal?.message_en : e.refusal?.message) || '');
    box.appendChild(alert);
    const label = el('label', '', w.editText || '');
    const text = /** @type {HTMLTextAreaElement} */ (el('textarea'));
    text.value = e.text;
    text.rows = 3;
    label.appendChild(text);
    box.appendChild(label);
    const resend = el('button', 'primary', w.resend || '');
    resend.addEventListener('click', async () => {
      // Other content is another request: a new key, from the back of the line.
      e.text = text.value;
      e.key = newKey();
      e.state = 'waiting';
      e.tries = 0;
      e.nextAt = 0;
      delete e.refusal;
      await outbox.put(e);
      await draw(null);
      if (navigator.onLine) await flush(true);
    });
    box.append(resend, ' ', discardButton(e));
    return box;
  }

  /** @param {outbox.Entry} e */
  function discardButton(e) {
    const b = el('button', 'quiet', w.discard || '');
    b.addEventListener('click', async () => {
      if (!confirm(w.confirmDiscard || '') || e.id === undefined) return;
      await outbox.remove(e.id);
      await draw(null);
    });
    return b;
  }

  document.addEventListener('outbox-changed', (ev) => draw(/** @type {CustomEvent} */ (ev).detail));
  window.addEventListener('online', () => draw(null));
  window.addEventListener('offline', () => draw(null));
  sendNow?.addEventListener('click', () => flush(true));
  const queued = document.getElementById('outbox-queued');
  if (queued && new URLSearchParams(location.search).has('queued')) queued.hidden = false;
  draw(null);
}
