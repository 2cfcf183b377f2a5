import { test, expect, BrowserContext, Page } from '@playwright/test';
import { login, waitForHydration } from './helpers';

// Issue #15 item 9: every page runs under a strict Content-Security-Policy. Each audience's
// pages are opened (maps, charts and live streams included) and not one CSP violation may
// be reported by the browser.

const GRID = '360199001001001';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** Records every CSP violation of the context's pages, from the DOM event and the console. */
async function watch(context: BrowserContext, seen: string[]) {
  await context.exposeBinding('__cspViolation', (_source, what: string) => { seen.push(what); });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as any).__cspViolation(`${location.pathname}: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  context.on('console', (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect|frame)/.test(m.text())) seen.push(m.text());
  });
}

async function visit(page: Page, path: string, app: boolean) {
  const res = await page.goto(path);
  expect(res?.status(), path).toBeLessThan(400);
  expect(res?.headers()['content-security-policy'], path).toContain("frame-ancestors 'none'");
  if (app) await waitForHydration(page);
  // Let late work (charts, map tiles, live streams) start.
  await page.waitForTimeout(400);
}

test('no page of any audience breaks its Content-Security-Policy', async ({ browser }) => {
  const seen: string[] = [];
  const staff = await browser.newContext();
  await watch(staff, seen);
  const page = await staff.newPage();
  await login(page, 'leader', '/dashboard');
  await expect(page.locator('.leaflet-container')).toBeVisible();
  for (const path of ['/territory', '/rankings', '/reports', '/cases']) await visit(page, path, true);
  await page.locator('a[href^="/cases/"]').first().click();
  await waitForHydration(page);
  await page.waitForTimeout(400);
  await staff.clearCookies();
  await login(page, 'center', '/desk');
  for (const path of ['/inbox', '/cases/new', '/notifications']) await visit(page, path, true);
  await staff.clearCookies();
  await login(page, 'admin', '/admin/webhooks');
  for (const path of ['/admin/departments', '/admin/accounts', '/admin/members', '/admin/territory']) {
    await visit(page, path, false);
  }
  await expect(page.locator('#territory-map .leaflet-interactive').first()).toBeVisible();
  await staff.close();

  const phone = await browser.newContext(PHONE);
  await watch(phone, seen);
  const worker = await phone.newPage();
  await worker.goto('/login?next=%2Fw');
  await worker.getByLabel('用户名').fill('worker');
  await worker.getByLabel('密码').fill('Demo@2026');
  await worker.getByRole('button', { name: '登录' }).click();
  await expect(worker).toHaveURL(/\/w$/);
  for (const path of ['/w/report', '/w/households', '/w/visits', '/w/ledger', '/account/password', `/posters/${GRID}`]) {
    await visit(worker, path, false);
  }
  await phone.clearCookies();
  await visit(worker, `/r/${GRID}`, false);
  expect(seen).toEqual([]);

  // The watch itself works: an injected inline script is refused and reported.
  await worker.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.injected = true';
    document.body.appendChild(s);
  });
  await expect.poll(() => seen.length).toBeGreaterThan(0);
  expect(await worker.evaluate(() => (window as any).injected)).toBeUndefined();
  await phone.close();
});
