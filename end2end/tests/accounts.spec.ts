import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, snap } from './helpers';

// An administrator resets a grid worker's password; the worker logs in on a phone with the
// temporary password, is sent to the password page, sets their own and reaches the workspace.
test('a temporary password leads to the password page until the worker sets their own', async ({ browser }) => {
  const adminCtx = await browser.newContext();
  const admin = await adminCtx.newPage();
  const login = await admin.request.post('/api/v1/login', { data: { username: 'admin', password: DEMO_PASSWORD } });
  expect(login.ok()).toBeTruthy();
  const reset = await admin.request.post('/api/v1/admin/accounts/w001001003/reset-password', { data: {} });
  expect(reset.status()).toBe(200);
  const { temporary_password: temporary } = await reset.json();
  await adminCtx.close();

  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  await page.goto('/login');
  await page.getByLabel('用户名').fill('w001001003');
  await page.getByLabel('密码').fill(temporary);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/account\/password$/);
  await expect(page.getByRole('alert')).toContainText('请先设置您自己的新密码');
  await snap(page, 'account-password-required');

  // A common password is refused with the reason; the worker's own phrase is accepted.
  await page.getByLabel('当前密码').fill(temporary);
  await page.getByLabel('新密码').fill('woaini1314');
  await page.getByRole('button', { name: '修改密码' }).click();
  await expect(page.getByRole('alert').last()).toContainText('太常见');
  await page.getByLabel('当前密码').fill(temporary);
  await page.getByLabel('新密码').fill('桂花树下有一张长椅');
  await page.getByRole('button', { name: '修改密码' }).click();
  await expect(page.getByRole('status')).toContainText('密码已修改');
  await snap(page, 'account-password-changed');
  await page.getByRole('link', { name: '首页' }).click();
  await expect(page).toHaveURL(/\/w$/);
  await ctx.close();
});
