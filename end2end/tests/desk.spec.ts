import { test, expect } from '@playwright/test';
import { as, perform, snap, waitForHydration } from './helpers';

test('吹哨报到: the centre dispatches from its inbox, departments acknowledge, return and resolve, the leader supervises', async ({ browser }) => {
  // A grid worker reports a problem the grid cannot solve alone.
  const worker = await as(browser, 'worker', '/cases/new');
  await worker.getByText('市容城管', { exact: true }).click();
  const text = `桂花路夜市占道经营，消防通道被堵 ${Date.now() % 100000}`;
  await worker.getByLabel('问题描述').fill(text);
  await worker.getByRole('button', { name: '提交' }).click();
  await expect(worker).toHaveURL(/\/cases\/\d+$/);
  const id = Number(worker.url().split('/').pop());

  // The street's command centre finds it in its inbox, with the keyboard.
  const center = await as(browser, 'center', '/inbox');
  const toTriage = center.locator('#triage');
  await expect(toTriage.getByText(text)).toBeVisible();
  await snap(center, 'inbox');
  await center.keyboard.press('j');
  await expect(center.locator('.inbox .case-card > a').first()).toBeFocused();
  await toTriage.getByText(text).click();
  await expect(center).toHaveURL(new RegExp(`/cases/${id}$`));
  await waitForHydration(center);
  await perform(center, '受理分类', async (f) => { await f.getByLabel('分类').selectOption('coordination'); });

  // The dispatch dialog shows the dates from the working calendar before confirming.
  const dispatch = center.locator('details.action-form').filter({ has: center.locator('summary', { hasText: /^派单（吹哨）$/ }) });
  if (!(await dispatch.evaluate((d) => (d as HTMLDetailsElement).open))) await dispatch.locator('summary').click();
  await expect(dispatch.locator('.dispatch-preview')).toContainText('办理时限');
  await expect(dispatch.locator('.dispatch-preview')).toContainText('报到时限');
  await dispatch.getByLabel('主办部门').selectOption('urban');
  await dispatch.getByLabel('协办部门').first().selectOption('police');
  await snap(center, 'dispatch-dialog');
  await dispatch.getByRole('button', { name: '派单（吹哨）' }).click();
  // The step says what it did and what comes next, not a bare "done".
  await expect(center.getByRole('status')).toHaveText(/^已派往区城市管理局，报到时限 \d{4}-\d{2}-\d{2} \d{2}:\d{2}。$/);
  await expect(center.locator('.facts').first()).toContainText('已派单待报到');

  // The leader marks it for supervision.
  const leader = await as(browser, 'leader', `/cases/${id}`);
  await perform(leader, '督办', async (f) => { await f.getByLabel('说明').fill('消防通道问题，三日内办结'); });
  await expect(leader.locator('.case-head .badge-red')).toHaveText('督办');
  await leader.goto('/cases?supervised=true');
  await expect(leader.locator('.case-card', { hasText: text }).locator('.badge-red')).toHaveText('督办');

  // The lead department sees it on its desk, with the badge, the countdown and its bell.
  const urban = await as(browser, 'dept', '/desk');
  const row = urban.locator('.desk-row', { hasText: text });
  await expect(row).toBeVisible();
  await expect(row.locator('.badge-red')).toHaveText('督办');
  await expect(row.locator('.countdown')).toContainText('剩余');
  await expect(urban.locator('.bell-count')).toBeVisible();
  await snap(urban, 'desk');
  await row.getByRole('button', { name: '报到签收' }).click();
  await expect(urban.locator('.desk-section', { hasText: '办理中' }).getByText(text)).toBeVisible();

  // The co-handler sends it back with a reason.
  const police = await as(browser, 'dept-police', `/cases/${id}`);
  await perform(police, '退回', async (f) => { await f.getByLabel('原因').fill('占道经营不属于公安职责'); });

  // The lead resolves it.
  await urban.goto(`/cases/${id}`);
  await waitForHydration(urban);
  await perform(urban, '办结', async (f) => { await f.getByLabel('办理结果').fill('已清理占道摊位，恢复消防通道'); });

  // Every step is on the timeline with who did it and when.
  await center.goto(`/cases/${id}`);
  const steps = center.locator('ol.timeline > li');
  await expect(steps).toHaveCount(7);
  for (const [i, action] of ['上报', '受理分类', '派单', '督办', '报到签收', '退回', '办结'].entries()) {
    await expect(steps.nth(i)).toContainText(action);
    await expect(steps.nth(i)).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  }
  await expect(steps.nth(5)).toContainText('占道经营不属于公安职责');
  await expect(center.locator('.case-head .badge-red')).toHaveText('督办');
  await snap(center, 'case-desk-timeline');

  // The centre's bell lists the return.
  await center.goto('/notifications');
  await expect(center.locator('.notice', { hasText: text }).first()).toContainText('被退回');
  await snap(center, 'notifications');
});

test('an administrator registers a webhook, sees its secret once, and switches it off', async ({ browser }) => {
  const admin = await as(browser, 'admin', '/admin/webhooks');
  // A URL of this run's own, so that repeated runs on one demo never meet each other's.
  const url = `https://hooks.example.invalid/gridgov-hook-${Date.now()}`;
  await admin.getByLabel('URL').fill(url);
  await admin.getByText('新派单', { exact: true }).click();
  await admin.getByText('报到超时', { exact: true }).click();
  await admin.getByRole('button', { name: '添加推送地址' }).click();
  await expect(admin.getByRole('status')).toContainText('签名密钥只显示这一次');
  await expect(admin.locator('code.secret')).toHaveText(/^[0-9a-f]{64}$/);
  const hook = admin.locator('section.webhook', { hasText: url });
  await expect(hook).toContainText('新派单、报到超时');
  await snap(admin, 'webhooks');
  await hook.getByRole('button', { name: '停用' }).click();
  await expect(hook.locator('.badge')).toHaveText('已停用');
});
