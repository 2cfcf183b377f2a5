// @ts-check
// The worker's outbox: every write of the workspace (report, visit, resolution) is kept
// in IndexedDB with its idempotency key from the moment it is made, and sent oldest first
// when there is a network. A resend after a lost answer is answered with the first
// answer (the server keeps each key), so nothing is filed twice; a refusal stays next to
// the entry with the worker's text and photos until it is edited and resent or discarded.

const DB = 'gridgov-outbox';
const STORE = 'entries';
/** Photos waiting on this phone may take this much; beyond it nothing new is queued. */
export const PHOTO_LIMIT = 50 * 1024 * 1024;
/** Sent entries stay listed (with their tracking code) this long. */
const KEEP_SENT_MS = 7 * 24 * 3600 * 1000;

/**
 * @typedef {'report' | 'visit' | 'resolve'} Kind
 * @typedef {'waiting' | 'sent' | 'refused'} State
 * @typedef {{ url?: string, code?: string | null, id?: number }} Answer
 * @typedef {{ message?: string, message_en?: string, status?: number }} Refusal
 * @typedef {{
 *   id?: number, account: number, kind: Kind, url: string, label: string,
 *   text: string, textField: string, fields: [string, string][], photos: Blob[],
 *   photoCount: number, key: string, created: number, state: State, tries: number,
 *   nextAt: number, sentAt?: number, answer?: Answer, refusal?: Refusal
 * }} Entry
 * @typedef {'sent' | 'refused' | 'offline' | 'signed-out' | 'server'} Outcome
 */

/** @type {Promise<IDBDatabase> | null} */
let opened = null;

/** @returns {Promise<IDBDatabase>} */
function db() {
  if (!opened) {
    opened = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  return opened;
}

/**
 * One request in one transaction.
 * @template T
 * @param {IDBTransactionMode} mode
 * @param {(s: IDBObjectStore) => IDBRequest<T>} run
 * @returns {Promise<T>}
 */
async function request(mode, run) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const tx = d.transaction(STORE, mode);
    const req = run(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/**
 * This account's entries, oldest first (sent ones past their week are dropped).
 * @param {number} account
 * @returns {Promise<Entry[]>}
 */
export async function entries(account) {
  /** @type {Entry[]} */
  const all = await request('readonly', (s) => s.getAll());
  const old = Date.now() - KEEP_SENT_MS;
  for (const e of all) {
    if (e.state === 'sent' && (e.sentAt || 0) < old && e.id !== undefined) await remove(e.id);
  }
  return all.filter((e) => e.account === account && !(e.state === 'sent' && (e.sentAt || 0) < old))
    .sort((a, b) => (a.id || 0) - (b.id || 0));
}

/** Bytes of photos kept for entries not yet sent. @param {Entry[]} list */
export function photoBytes(list) {
  return list.filter((e) => e.state !== 'sent').reduce((n, e) => n + e.photos.reduce((m, p) => m + p.size, 0), 0);
}

export class OutboxFull extends Error {}

/**
 * Queues a write; refuses it (OutboxFull) when its photos would pass the limit.
 * @param {Omit<Entry, 'id' | 'state' | 'tries' | 'nextAt' | 'created' | 'photoCount'>} e
 * @returns {Promise<Entry>}
 */
export async function add(e) {
  const used = photoBytes(await entries(e.account));
  const adding = e.photos.reduce((n, p) => n + p.size, 0);
  if (used + adding > PHOTO_LIMIT) throw new OutboxFull();
  // Ask once that the browser keep our data under storage pressure.
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => false);
  /** @type {Entry} */
  const entry = { ...e, photoCount: e.photos.length, created: Date.now(), state: 'waiting', tries: 0, nextAt: 0 };
  entry.id = /** @type {number} */ (await request('readwrite', (s) => s.add(entry)));
  return entry;
}

/** @param {Entry} e */
export function put(e) {
  return request('readwrite', (s) => s.put(e));
}

/** @param {number} id */
export function remove(id) {
  return request('readwrite', (s) => s.delete(id));
}

/** The entry's form, as the plain form would have sent it. @param {Entry} e */
function body(e) {
  const f = new FormData();
  for (const [k, v] of e.fields) f.append(k, k === e.textField ? e.text : v);
  f.set('idempotency_key', e.key);
  e.photos.forEach((p, i) => f.append('photo', p, 'photo-' + (i + 1) + '.jpg'));
  return f;
}

/**
 * Sends one entry and records what became of it.
 * @param {Entry} e
 * @returns {Promise<Outcome>}
 */
export async function send(e) {
  /** @type {Response} */
  let res;
  try {
    res = await fetch(e.url, { method: 'POST', body: body(e), credentials: 'same-origin', headers: { Accept: 'application/json' } });
  } catch {
    await later(e);
    return 'offline';
  }
  const json = await res.json().catch(() => null);
  // Signed out meanwhile (the login page answers, or 401): kept until signed in again.
  if (res.status === 401 || res.redirected || (res.ok && !json)) return 'signed-out';
  if (res.ok) {
    e.state = 'sent';
    e.sentAt = Date.now();
    e.answer = { url: json.url, code: json.code, id: json.id };
    e.photos = []; // the server has them; the phone's space is freed
    await put(e);
    return 'sent';
  }
  if (res.status >= 500 || res.status === 408 || res.status === 429 || !json) {
    await later(e);
    return 'server';
  }
  e.state = 'refused';
  e.refusal = { message: json.message, message_en: json.message_en, status: res.status };
  await put(e);
  return 'refused';
}

/** Tried again later: 2 s, 4 s, … up to 5 minutes. @param {Entry} e */
function later(e) {
  e.tries += 1;
  e.nextAt = Date.now() + Math.min(300000, 2000 * Math.pow(2, e.tries - 1));
  return put(e);
}

/** @type {Promise<Outcome | null> | null} */
let flushing = null;

/**
 * Sends what waits, oldest first, and stops at the first that cannot go (no network,
 * server trouble, signed out) so that the order holds. `force` ignores the back-off.
 * Tabs of one phone take turns (Web Locks), so an entry is not sent by two at once.
 * @param {number} account
 * @param {boolean} force
 * @returns {Promise<Outcome | null>} what stopped it, or null when nothing is left
 */
export function flush(account, force) {
  if (flushing) return flushing;
  const run = async () => {
    for (const e of await entries(account)) {
      if (e.state !== 'waiting') continue;
      if (!force && e.nextAt > Date.now()) return 'server';
      const outcome = await send(e);
      if (outcome !== 'sent' && outcome !== 'refused') return outcome;
    }
    return null;
  };
  // (locks.request resolves with what `run` resolves with; its typing nests the promise.)
  const locked = navigator.locks
    ? /** @type {Promise<Outcome | null>} */ (/** @type {unknown} */ (navigator.locks.request('gridgov-outbox', run)))
    : run();
  const done = locked.finally(() => { flushing = null; });
  flushing = done;
  return done;
}
