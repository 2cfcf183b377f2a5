import { Browser, expect, Locator, Page } from '@playwright/test';

export const DEMO_PASSWORD = 'Demo@2026';

/** A one-pixel PNG: a photo for forms that ask for one. */
export const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** Logs in through the real login form and waits for the app to hydrate. */
export async function login(page: Page, username: string, next = '/') {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(new RegExp(`${next.replace(/[?]/g, '\\?')}$`));
  await waitForHydration(page);
}

/** A new browser context logged in as `username`, on `next` (phone-sized if asked). */
export async function as(browser: Browser, username: string, next: string, phone = false) {
  const context = await browser.newContext(phone ? { viewport: { width: 390, height: 844 } } : {});
  const page = await context.newPage();
  await login(page, username, next);
  return page;
}

/** The action form titled `title` on a case page. */
export function actionForm(page: Page, title: string) {
  return page.locator('details.action-form').filter({ has: page.locator('summary', { hasText: new RegExp(`^${title}$`) }) });
}

/** `hydrate()` marks <body> when the WASM has taken over the page. */
export async function waitForHydration(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

/** Saves a screenshot for people to look at (not compared). */
export async function snap(page: Page, name: string) {
  await page.screenshot({ path: `screenshots/${name}.png`, fullPage: true });
}

/** Opens the named action form on a case page (once the app has taken over), fills it,
 *  submits it and waits for the confirmation. */
export async function perform(page: Page, title: string, fill?: (form: Locator) => Promise<void>) {
  const form = page.locator('details.action-form').filter({ has: page.locator('summary', { hasText: new RegExp(`^${title}$`) }) });
  // A form used before the WASM takes over would post without JS and show no status.
  await waitForHydration(page);
  // A lone action's form is already open; a click on its summary would close it.
  if (!(await form.evaluate((d) => (d as HTMLDetailsElement).open))) await form.locator('summary').click();
  if (fill) await fill(form);
  // The previous step's sentence may still be shown: wait for this step's own.
  const before = (await page.getByRole('status').allTextContents()).join('|');
  await form.getByRole('button', { name: title, exact: true }).click();
  // Each step says what it did ("已受理…", "已派往…", "已记录“办结”…"), never a bare "done".
  await expect.poll(async () => (await page.getByRole('status').allTextContents()).join('|')).not.toBe(before);
  await expect(page.getByRole('status')).toHaveText(/^已/);
}

/** Reports a case from the staff form and returns its id. */
export async function reportCase(page: Page, category: string, text: string) {
  await page.goto('/cases/new');
  await expect(page.getByRole('heading', { name: '上报事件' })).toBeVisible();
  await waitForHydration(page);
  await page.getByText(category, { exact: true }).click();
  await page.getByLabel('问题描述').fill(text);
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page).toHaveURL(/\/cases\/\d+$/);
  await expect(page.locator('.case-head .case-desc')).toHaveText(text);
  return Number(page.url().split('/').pop());
}
