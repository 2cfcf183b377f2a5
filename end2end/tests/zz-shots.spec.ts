import { test, expect } from '@playwright/test';
import { as, snap } from './helpers';

test('shots', async ({ browser }) => {
  const admin = await as(browser, 'admin', '/');
  await admin.goto('/admin/categories');
  await snap(admin, 'zz-admin-categories');
  const worker = await as(browser, 'worker', '/cases/new');
  await worker.getByText('基础设施', { exact: true }).click();
  await worker.getByLabel('问题描述').fill('测试：人行道井盖缺失');
  await worker.getByRole('button', { name: '提交' }).click();
  await expect(worker).toHaveURL(/\/cases\/\d+$/);
  const center = await as(browser, 'center', worker.url().replace(/^.*\/cases/, '/cases'));
  await center.locator('details.action-form summary', { hasText: /^受理分类$/ }).click();
  await center.locator('select[name="fields[subcategory]"]').selectOption('infrastructure.manhole');
  await center.locator('details.action-form').first().locator('label.templates select').selectOption({ index: 1 });
  await snap(center, 'zz-triage-forms');
  const phone = await as(browser, 'worker', '/cases', true);
  await phone.goto(worker.url().replace(/^.*\/cases/, '/cases'));
  await snap(phone, 'zz-case-phone');
});
