// @ts-check
// What both light audiences' scripts share (residents' /r pages and the worker's /w
// workspace): photo downscaling, the position, form refusals and sending with retries.
// Plain ES module, no build step; type-checked with `tsc -p public/js` (CI).

/** Longest side of a photo sent from a phone: enough to see a crack, ~300 KB. */
export const MAX_SIDE = 1600;

/** @param {number} ms */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A status line's text (and class, for colour).
 * @param {HTMLElement | null} el
 * @param {string} [text]
 * @param {string} [cls]
 */
export function say(el, text, cls) {
  if (!el) return;
  el.textContent = text || '';
  if (cls !== undefined) el.className = 'send-status ' + cls;
}

/**
 * A JPEG no longer than MAX_SIDE, or the file as it is when the browser cannot read it
 * (the server then says what is wrong with it) or when shrinking would not help.
 * @param {Blob} file
 * @param {number} [quality]
 * @returns {Promise<Blob>}
 */
export function shrink(file, quality = 0.82) {
  if (!window.createImageBitmap || !/^image\//.test(file.type)) return Promise.resolve(file);
  return createImageBitmap(file, { imageOrientation: 'from-image' }).then((bmp) => {
    const scale = Math.min(1, MAX_SIDE / Math.max(bmp.width, bmp.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bmp.width * scale);
    canvas.height = Math.round(bmp.height * scale);
    const g = canvas.getContext('2d');
    if (!g) return file;
    g.drawImage(bmp, 0, 0, canvas.width, canvas.height);
    return new Promise((resolve) => {
      canvas.toBlob((b) => resolve(b && b.size < file.size ? b : file), 'image/jpeg', quality);
    });
  }).catch(() => file);
}

/**
 * Thumbnails of photos into a container.
 * @param {HTMLElement | null} el
 * @param {Blob[]} blobs
 */
export function previewInto(el, blobs) {
  if (!el) return;
  el.textContent = '';
  for (const b of blobs) {
    const img = document.createElement('img');
    img.alt = '';
    img.src = URL.createObjectURL(b);
    el.appendChild(img);
  }
}

/**
 * The phone's position, once.
 * @param {(lat: number, lng: number, accuracy: number) => void} onPoint
 * @param {() => void} onFail
 */
export function locate(onPoint, onFail) {
  if (!navigator.geolocation) { onFail(); return; }
  navigator.geolocation.getCurrentPosition(
    (p) => onPoint(p.coords.latitude, p.coords.longitude, p.coords.accuracy),
    onFail,
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
}

/** A fresh idempotency key (16–64 letters, digits or '-', as the server wants). */
export function newKey() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/**
 * @typedef {{ field: string, message: string, message_en: string }} FieldError
 * @typedef {{ message?: string, message_en?: string, errors?: FieldError[] }} Refusal
 */

/**
 * A refusal's sentence in the page's language.
 * @param {Refusal} body
 * @param {boolean} en
 */
export function refusalText(body, en) {
  return (en ? body.message_en : body.message) || '';
}

/** @param {HTMLFormElement} form */
export function clearErrors(form) {
  form.querySelectorAll('.field-error.js-made').forEach((e) => e.remove());
  const old = document.getElementById('form-alert');
  if (old) old.remove();
}

/**
 * The server's refusal above the form, and each field's reason under its field.
 * @param {HTMLFormElement} form
 * @param {Refusal} body
 * @param {string} heading what the alert starts with ("没有保存：")
 * @param {boolean} en
 */
export function showErrors(form, body, heading, en) {
  clearErrors(form);
  const alert = document.createElement('div');
  alert.className = 'alert';
  alert.id = 'form-alert';
  alert.setAttribute('role', 'alert');
  const strong = document.createElement('strong');
  strong.textContent = heading;
  alert.appendChild(strong);
  alert.appendChild(document.createTextNode(refusalText(body, en)));
  form.parentNode?.insertBefore(alert, form);
  for (const fe of body.errors || []) {
    const target = form.querySelector('[name="' + fe.field + '"]');
    const anchor = target && (target.closest('fieldset') || target);
    if (!anchor || !anchor.parentNode) continue;
    const p = document.createElement('p');
    p.className = 'field-error js-made';
    p.textContent = en ? fe.message_en : fe.message;
    anchor.parentNode.insertBefore(p, anchor.nextSibling);
  }
  alert.scrollIntoView({ block: 'start' });
}

/**
 * Whether an answer is final: a refusal (4xx) is, and so is an outage that says it will
 * last (503 with a long Retry-After, or after the last try); anything else is retried.
 * @param {Response} res
 * @param {boolean} last
 */
export function isFinal(res, last) {
  if (res.status < 500 && res.status !== 408) return true;
  return res.status === 503 && (last || Number(res.headers.get('Retry-After')) > 15);
}

/**
 * POSTs a form body, retrying network errors and server trouble with back-off (1, 2, 4,
 * 8 s). The caller's idempotency key makes the retries safe. `null`: never answered.
 * @param {string} url
 * @param {FormData} body
 * @param {Record<string, string>} headers
 * @param {() => void} onRetry
 * @param {number} [attempt]
 * @returns {Promise<Response | null>}
 */
export function sendWithRetry(url, body, headers, onRetry, attempt = 0) {
  return fetch(url, { method: 'POST', body, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } })
    .then((res) => {
      if (isFinal(res, attempt >= 4)) return res;
      throw new Error('server ' + res.status);
    })
    .catch(() => {
      if (attempt >= 4) return null;
      onRetry();
      return sleep(1000 * Math.pow(2, attempt)).then(() => sendWithRetry(url, body, headers, onRetry, attempt + 1));
    });
}
