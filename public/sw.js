// @ts-check
/// <reference lib="webworker" />
// The grid worker's workspace offline (served as /w/sw.js, scope /w). Pages are fetched
// from the network first and kept; without a network the kept copy answers. Our scripts
// and styles are kept per version: the server stamps VERSION from their bytes, so a new
// release installs a new worker, which waits until the page offers "reload".
// Kept pages are the signed-in worker's own (households show masked numbers only; a
// revealed number is a POST answer and never kept); another account starts afresh, and
// the login page (after signing out, or a session that ended) deletes them.

const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));
const VERSION = '__VERSION__';
const ASSETS = 'gridgov-w-assets-' + VERSION;
const PAGES = 'gridgov-w-pages';
const META = 'gridgov-w-meta';
const SHELL_ASSETS = ['/js/common.js', '/js/worker.js', '/js/outbox.js', '/js/outbox-view.js',
  '/resident.css', '/worker.css', '/vendor/leaflet/leaflet.js', '/vendor/leaflet/leaflet.css',
  '/favicon.svg', '/worker.webmanifest', '/icons/worker-192.png'];
const SHELL_PAGES = ['/w', '/w/report', '/w/households', '/w/outbox'];
/** Household pages are audited reads: kept once, refreshed when the worker opens them. */
const READ_ONCE = /^\/w\/households/;
/** Pages linked from the kept lists that are worth keeping (cases, resolve forms, households). */
const WORTH_KEEPING = /^\/w(\/(report|households(\/\d+)?|visits|outbox|cases\/\d+(\/resolve)?))?$/;
/** At most this many pages are kept (a grid's households and open cases fit). */
const MAX_PAGES = 600;
/** The lists are fetched again at most this often (each page view would otherwise). */
const WARM_EVERY_MS = 60000;
/** A weak signal: after this long the kept page answers (the network still refreshes it). */
const NETWORK_WAIT_MS = 4000;

sw.addEventListener('install', (ev) => {
  ev.waitUntil(caches.open(ASSETS).then((c) => c.addAll(SHELL_ASSETS)));
});

sw.addEventListener('activate', (ev) => {
  ev.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('gridgov-w-assets-') && name !== ASSETS) await caches.delete(name);
    }
    await sw.clients.claim();
  })());
});

/** @param {URL} url */
const isPage = (url) => url.pathname === '/w' || url.pathname.startsWith('/w/');
/** @param {URL} url */
const isAsset = (url) => SHELL_ASSETS.includes(url.pathname) || url.pathname.startsWith('/vendor/leaflet/');

sw.addEventListener('fetch', (ev) => {
  const req = ev.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== location.origin) return;
  if (req.mode === 'navigate' && isPage(url)) ev.respondWith(page(req, ev));
  else if (isAsset(url)) ev.respondWith(asset(req));
});

/** A kept copy of a usable answer: 200, not a redirect to the login page. @param {Response} res */
const keepable = (res) => res.ok && res.status === 200 && !res.redirected && res.type === 'basic';

/**
 * Network first; the kept copy when there is none (or it is too slow).
 * @param {Request} req
 * @param {FetchEvent} ev
 */
async function page(req, ev) {
  const cache = await caches.open(PAGES);
  const url = new URL(req.url);
  // A page with a query (`?sent=…`) says something once: its plain address is kept.
  const worth = !url.search && WORTH_KEEPING.test(url.pathname);
  const network = fetch(req).then(async (res) => {
    if (worth && keepable(res)) await cache.put(req.url, res.clone());
    return res;
  });
  ev.waitUntil(network.catch(() => null));
  const kept = () => cache.match(req.url).then((r) => r || cache.match(req.url, { ignoreSearch: true }));
  const slow = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT_MS)).then(kept);
  try {
    const first = await Promise.race([network, slow]);
    if (first) return first;
    return await network;
  } catch {
    return (await kept()) || notKept(req);
  }
}

/** Assets of this version: kept first. @param {Request} req */
async function asset(req) {
  const cache = await caches.open(ASSETS);
  const hit = await cache.match(req, { ignoreSearch: true });
  if (hit) return hit;
  const res = await fetch(req);
  if (keepable(res)) await cache.put(req, res.clone());
  return res;
}

/** A page never opened with a network: say so, in both languages, with the ways on. @param {Request} req */
function notKept(req) {
  const html = '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>离线 Offline</title>' +
    '<link rel="stylesheet" href="/resident.css"><link rel="stylesheet" href="/worker.css"></head>' +
    '<body><main class="wrap worker"><h1>此页面尚未离线保存</h1><p>当前没有网络，这个页面还没有在有信号时打开过。' +
    '上报、走访和办结仍可在已保存的页面上填写，有信号时自动发送。</p>' +
    '<p lang="en">No network, and this page was not opened with a signal before. Reports, visits and ' +
    'results can still be made on the kept pages and are sent when the signal returns.</p>' +
    '<p><a href="/w">工作台 Workspace</a> · <a href="/w/outbox">待发箱 Outbox</a></p></main></body></html>';
  return new Response(html, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Retry-After': '30' } });
}

sw.addEventListener('message', (ev) => {
  const data = ev.data || {};
  if (data.type === 'skip-waiting') sw.skipWaiting();
  if (data.type === 'account') ev.waitUntil(signedIn(Number(data.account), !!data.force, /** @type {Client | null} */ (ev.source)));
});

/** The warm under way, if any: a page asking meanwhile is answered when it ends. */
/** @type {Promise<number> | null} */
let warming = null;

/**
 * The pages kept belong to one account; keep the workspace's lists and what they link to.
 * @param {number} account
 * @param {boolean} force the lists just changed (a report was sent, a case resolved)
 * @param {Client | null} client told how many pages are kept
 */
async function signedIn(account, force, client) {
  const meta = await caches.open(META);
  const was = await meta.match('/account').then((r) => (r ? r.text() : ''));
  const last = await meta.match('/warmed').then((r) => (r ? r.text() : '0'));
  if (was !== String(account)) {
    if (warming) await warming;
    await caches.delete(PAGES);
    await meta.put('/account', new Response(String(account)));
  } else if (!force && Date.now() - Number(last) < WARM_EVERY_MS && (await (await caches.open(PAGES)).keys()).length > 0) {
    // Kept a minute ago: the pages opened since were kept as they were opened.
    if (warming) await warming;
    client?.postMessage({ type: 'warmed', pages: (await (await caches.open(PAGES)).keys()).length });
    return;
  }
  if (warming) await warming;
  warming = warm().finally(() => { warming = null; });
  const pages = await warming;
  await meta.put('/warmed', new Response(String(Date.now())));
  client?.postMessage({ type: 'warmed', pages });
}

/**
 * Fetches the shell pages again (households only when not kept yet), then what their lists
 * link to and is not kept yet. Every household page kept is a read, audited as one.
 */
async function warm() {
  const cache = await caches.open(PAGES);
  /** @type {Set<string>} */
  const linked = new Set();
  for (const path of SHELL_PAGES) {
    const href = new URL(path, location.origin).href;
    let res = READ_ONCE.test(path) ? await cache.match(href) : undefined;
    if (!res) {
      const fresh = await fetch(path, { credentials: 'same-origin' }).catch(() => null);
      if (!fresh || !keepable(fresh)) continue;
      await cache.put(href, fresh.clone());
      res = fresh;
    }
    const text = await res.text();
    for (const m of text.matchAll(/href="(\/w[^"?#]*)"/g)) if (WORTH_KEEPING.test(m[1])) linked.add(m[1]);
  }
  let kept = (await cache.keys()).length;
  for (const path of linked) {
    if (kept >= MAX_PAGES) break;
    const href = new URL(path, location.origin).href;
    if (await cache.match(href)) continue;
    const res = await fetch(path, { credentials: 'same-origin' }).catch(() => null);
    if (res && keepable(res)) { await cache.put(href, res); kept++; }
  }
  return kept;
}
