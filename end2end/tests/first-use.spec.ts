import { Browser, expect, Page, test } from '@playwright/test';
import { DEMO_PASSWORD, PNG_1PX, actionForm, as, perform, reportCase, snap, waitForHydration } from './helpers';

// Each audience's first use, as a newcomer meets it, at the audience's own screen size: the
// pages choose nothing for the user that would file or dispatch wrongly, nobody rates their
// own work, the worker stays in the phone workspace, every login lands on its work, red
// always says why, residents never read a colour's name, and an empty period ranks nobody.

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1366, height: 768 } };
const GRID = '360199001001001';

/** Logs in without naming a destination, as a newcomer does: where does it land? */
async function firstLogin(browser: Browser, username: string, phone = false): Promise<Page> {
  const context = await browser.newContext(phone ? PHONE : DESKTOP);
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  return page;
}

const COLOUR_NAMES = /[红黄绿]色?(?![\u4e00-\u9fa5])|红牌|黄牌/;

test('a resident on a phone: the form first, nothing chosen for them, plain words and no colours', async ({ browser }) => {
  const page = await (await browser.newContext(PHONE)).newPage();
  await page.goto(`/r/${GRID}`);
  // The form starts on the first screen; the worker list comes after it.
  const form = page.locator('form').first();
  expect((await form.boundingBox())!.y).toBeLessThan(844);
  await expect(page.locator('input[name="category"]:checked')).toHaveCount(0);
  await expect(page.getByLabel('拍照')).toBeAttached();
  await expect(page.getByLabel('从相册选择')).toBeAttached();
  await expect(page.locator('.req').first()).toBeVisible();
  await snap(page, 'first-use-resident-form');

  // Sending without a category is refused by the browser, not filed under a default.
  await page.getByLabel('问题描述').fill('楼道灯坏了，晚上很黑');
  await page.getByRole('button', { name: '提交上报' }).click();
  await expect(page).toHaveURL(new RegExp(`/r/${GRID}$`));
  await page.getByText('环境卫生', { exact: true }).click();
  await page.getByRole('button', { name: '提交上报' }).click();
  await expect(page).toHaveURL(/\/t\/[0-9A-Z]{10}\?k=/);
  // Following the case: what is happening, in plain words, never a colour's name.
  const text = await page.locator('main').innerText();
  expect(text).not.toMatch(COLOUR_NAMES);
  await expect(page.locator('main')).toContainText(/正常办理中|待受理|已受理/);
  await snap(page, 'first-use-resident-track');
});

test('a grid worker on a phone: lands on the workspace, chooses the category, stays under /w, cannot rate their own result', async ({ browser }) => {
  const page = await firstLogin(browser, 'worker', true);
  await expect(page).toHaveURL(/\/w$/);
  // Every red on the phone says why.
  for (const row of await page.locator('li.case-row.colour-red').all()) {
    await expect(row.locator('.red-reason')).not.toBeEmpty();
  }
  await snap(page, 'first-use-worker-home');

  await page.getByRole('link', { name: /一键上报/ }).first().click();
  await expect(page).toHaveURL(/\/w\/report$/);
  await expect(page.locator('input[name="category"]:checked')).toHaveCount(0);
  await page.getByText('市容城管', { exact: true }).click();
  await page.getByLabel('问题描述').fill('幸福路口共享单车倒伏，阻挡盲道');
  await page.getByText('自办自结（2 小时内办结）').click();
  await page.locator('input[name="photo"]').first().setInputFiles({ name: 'scene.png', mimeType: 'image/png', buffer: Buffer.from(PNG_1PX, 'base64') });
  await page.getByRole('button', { name: '一键上报' }).click();
  await expect(page).toHaveURL(/\/w\?sent=\d+$/);

  // Tapping a case opens the workspace's own page, with the bottom navigation.
  await page.locator('#my-cases ~ ul a.case-link').first().click();
  await expect(page).toHaveURL(/\/w\/cases\/\d+$/);
  await expect(page.locator('nav.tabs, .tabs')).toBeVisible();
  await snap(page, 'first-use-worker-case');

  // A case of the worker's own, resolved on the spot with its photo, comes back here —
  // and offers no rating to the one who resolved it.
  await page.goto('/w');
  const own = page.locator('li.case-row').filter({ hasText: '幸福路口共享单车倒伏' }).first();
  await own.getByRole('link', { name: '办结' }).click();
  await expect(page).toHaveURL(/\/w\/cases\/\d+\/resolve$/);
  await page.locator('input[name="photo"]').setInputFiles({ name: 'after.png', mimeType: 'image/png', buffer: Buffer.from(PNG_1PX, 'base64') });
  await page.getByLabel('处理结果').fill('已扶正单车，盲道畅通');
  await page.getByRole('button', { name: '办结' }).click();
  await expect(page).toHaveURL(/\/w\/cases\/\d+\?done=1$/);
  await expect(page.locator('.tabs')).toBeVisible();
  await expect(page.getByRole('status')).toContainText('已记录“办结”');
  await expect(page.locator('main')).not.toContainText('评价回访');
  await expect(page.locator('select[name="satisfaction"]')).toHaveCount(0);
  await snap(page, 'first-use-worker-resolved');
});

test('the command centre at a desk: lands on its inbox, the overdue first, a dispatch proposed from the category', async ({ browser }) => {
  const page = await firstLogin(browser, 'center');
  await expect(page).toHaveURL(/\/inbox$/);
  await waitForHydration(page);
  const sections = page.locator('.inbox > section h2');
  await expect(sections.first()).toContainText('已超期');
  await expect(sections.nth(1)).toContainText('即将超时');
  await snap(page, 'first-use-centre-inbox');

  // A report waiting for triage: no tier is taken for the centre, the lead is proposed
  // from the category's competent department, never the list's first entry.
  const list = await (await page.request.get('/api/v1/cases?category=sanitation&per_page=100')).json();
  const c = list.cases.find((x: any) => x.status === 'reported');
  expect(c, 'a sanitation report awaiting triage').toBeTruthy();
  await page.goto(`/cases/${c.id}`);
  await perform(page, '受理分类', async (f) => {
    await f.getByLabel('分类').selectOption('coordination');
  });
  // The demo's sanitation bureau is competent for 环境卫生; the list's first entry is not.
  await expect(actionForm(page, '派单（吹哨）').getByLabel('主办部门')).toHaveValue('sanitation');
  await snap(page, 'first-use-centre-dispatch');
});

test('a department at a desk: lands on its desk, the main step first, a facility\'s result carries its photo', async ({ browser }) => {
  const page = await firstLogin(browser, 'dept');
  await expect(page).toHaveURL(/\/desk$/);
  await waitForHydration(page);
  await snap(page, 'first-use-dept-desk');

  // A case dispatched here by the centre, in a facility category (办结须附照片 in the demo),
  // reported by a grid worker.
  const worker = await as(browser, 'worker', '/cases/new', true);
  const id = await reportCase(worker, '基础设施', '人行道井盖松动，踩上去会翻');
  const center = await as(browser, 'center', `/cases/${id}`);
  await perform(center, '受理分类', async (f) => { await f.getByLabel('分类').selectOption('coordination'); });
  await perform(center, '派单（吹哨）', async (f) => { await f.getByLabel('主办部门').selectOption('urban'); });

  await page.goto(`/cases/${id}`);
  await perform(page, '报到签收');
  // 办结 comes before 退回, and 退回 looks different.
  const summaries = page.locator('details.action-form > summary');
  await expect(summaries.first()).toHaveText('办结');
  await expect(page.locator('details.action-back > summary').last()).toHaveText('退回');
  const resolve = actionForm(page, '办结');
  if (!(await resolve.evaluate((d) => (d as HTMLDetailsElement).open))) await resolve.locator('summary').click();
  await expect(resolve.locator('input[name="photo"]')).toHaveAttribute('required', '');
  await expect(resolve).toContainText('本类问题必附');
  await resolve.getByLabel('办理结果').fill('井盖已复位并加固');
  await resolve.locator('input[name="photo"]').setInputFiles({ name: 'after.png', mimeType: 'image/png', buffer: Buffer.from(PNG_1PX, 'base64') });
  await snap(page, 'first-use-dept-resolve-form');
  await resolve.getByRole('button', { name: '办结', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText(/^已/);
  await expect(page.locator('.facts')).toContainText('待核查');
  await expect(page.locator('.timeline li').last().locator('.photos img')).toHaveCount(1);
  await snap(page, 'first-use-dept-resolved');
});

test('a leader at a desk: lands on the dashboard, key figures first, an empty period ranks nobody', async ({ browser }) => {
  const page = await firstLogin(browser, 'leader');
  await expect(page).toHaveURL(/\/dashboard$/);
  await waitForHydration(page);
  const figures = await page.locator('section.key-figures').boundingBox();
  expect(figures!.y).toBeLessThan(768);
  await expect(page.locator('.map-legend, .legend').first()).toBeVisible();
  await snap(page, 'first-use-leader-dashboard');

  // The next month has not begun: not offered, and asked for, it ranks nobody.
  await page.goto('/rankings');
  await waitForHydration(page);
  const current = await page.locator('a.filter[aria-pressed="true"]').last().innerText();
  expect(current.trim().length).toBeGreaterThan(0);
  await page.goto('/rankings?period=2030-01');
  await waitForHydration(page);
  await expect(page.locator('.empty-period')).toContainText('本期暂无数据');
  await expect(page.locator('table.workers tbody tr')).toHaveCount(0);
  await snap(page, 'first-use-leader-empty-period');
});
