import { test, expect } from '@playwright/test';
import { login, waitForHydration, snap, DEMO_PASSWORD } from './helpers';

test('a leader logs in, sees the grid map, and switches language both ways', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));

  await page.goto('/territory');
  // The login wall sends visitors to the login page and back afterwards.
  await expect(page).toHaveURL(/\/login\?next=%2Fterritory$|\/login\?next=\/territory$/);
  await expect(page.getByRole('heading', { name: '工作人员登录' })).toBeVisible();
  await snap(page, 'login');

  await page.getByLabel('用户名').fill('leader');
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/territory$/);
  await waitForHydration(page);

  // 100 grid polygons drawn by Leaflet, all from our own server.
  const shapes = page.locator('path.grid-shape');
  await expect(shapes).toHaveCount(100);
  await expect(page.getByRole('heading', { name: '网格地图与组织架构' })).toBeVisible();

  // A click on a grid opens its name and workers. The click goes to that grid's own shape
  // (not to a point on the screen, where a neighbour or a label may lie on top).
  const grid = '360199001001001';
  await page.locator(`path.grid-${grid}`).dispatchEvent('click');
  const popup = page.locator('.leaflet-popup-content');
  await expect(popup).toContainText(grid);
  await expect(popup).toContainText('网格');
  await expect(popup).toContainText('专职网格员');
  await snap(page, 'territory');

  // English, and it persists across a reload.
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Grid map and territory' })).toBeVisible();
  await page.reload();
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: 'Grid map and territory' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('path.grid-shape')).toHaveCount(100);
  await snap(page, 'territory-en');

  // And back to Chinese.
  await page.getByRole('link', { name: '中文' }).click();
  await expect(page.getByRole('heading', { name: '网格地图与组织架构' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');

  expect(errors).toEqual([]);
});

test('a grid worker sees only their own grid and can log out, on a phone', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await login(page, 'worker', '/territory');
  await expect(page.locator('path.grid-shape')).toHaveCount(1);
  await page.getByRole('link', { name: '桂花社区第一网格' }).click();
  await expect(page.getByRole('heading', { name: /桂花社区第一网格/ })).toBeVisible();
  await expect(page.getByText('本网格工作人员')).toBeVisible();

  await page.getByRole('link', { name: '首页' }).click();
  await expect(page.getByRole('heading', { name: /欢迎/ })).toBeVisible();
  await snap(page, 'home-worker');

  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
});

test('a wrong password gets a clear message and keeps the username', async ({ page }) => {
  await page.goto('/login');
  await waitForHydration(page);
  await page.getByLabel('用户名').fill('center');
  await page.getByLabel('密码').fill('wrong');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert')).toHaveText('用户名或密码错误。');
  await expect(page.getByLabel('用户名')).toHaveValue('center');
});
