import { test, expect } from '@playwright/test';
import { as, snap } from './helpers';

test('shots', async ({ browser }) => {
  const leader = await as(browser, 'leader', '/dashboard');
  await expect(leader.locator('.stats-assessment')).toBeVisible();
  await snap(leader, 'zz-dashboard');
  const center = await as(browser, 'center', '/inbox');
  const worker = await as(browser, 'worker', '/cases/new');
  await worker.getByText('市容城管', { exact: true }).click();
  await worker.getByLabel('问题描述').fill('测试：人行道井盖缺失');
  await worker.getByRole('button', { name: '提交' }).click();
  await expect(worker).toHaveURL(/\/cases\/\d+$/);
  await center.goto(worker.url().replace(/^.*\/cases/, '/cases'));
  await center.locator('details.action-form summary', { hasText: /^受理分类$/ }).click();
  await center.locator('details.action-form summary', { hasText: /^不予立案（作废）$/ }).click();
  await snap(center, 'zz-triage-forms');
  const urgent = await (await center.request.get('/api/v1/cases?per_page=100')).json();
  await center.goto('/cases?per_page=50');
  await snap(center, 'zz-cases-list');
});
