import { test, expect } from '@playwright/test';
import { login, waitForHydration } from './helpers';

// A staff tab opened before a new release still runs the old main module; the first page of
// a route group it opens afterwards asks for a part of the old release, which is gone (every
// file carries its content hash in its name). Here that part is refused once, as the server
// of the next release would: the tab must load the page afresh (app/src/stale_release.rs)
// and work, not freeze.
test('a tab whose next part is gone loads the page afresh and works', async ({ page }) => {
  let refused = 0;
  let asked = 0;
  await page.route(/\/pkg\/split_leader_group_[^/]*\.wasm$/, (route) => {
    asked += 1;
    if (refused === 0) {
      refused += 1;
      return route.fulfill({ status: 404, contentType: 'text/plain', body: 'gone with the last release' });
    }
    return route.continue();
  });
  await login(page, 'center', '/inbox');
  expect(asked, 'the inbox does not need the leaders\' group').toBe(0);

  const fresh = page.waitForEvent('load');
  await page.locator('header').getByRole('link', { name: '指挥看板' }).click();
  await fresh;
  await waitForHydration(page);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('指挥看板');
  expect(refused).toBe(1);
  expect(asked, 'asked again by the fresh page').toBeGreaterThanOrEqual(2);
  // It works: a link of the fresh page still navigates in the app.
  await page.locator('header').getByRole('link', { name: '受理台' }).click();
  await expect(page).toHaveURL(/\/inbox$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('受理台');
});
