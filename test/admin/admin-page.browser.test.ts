// A real browser (Debian's Chromium) on /manage/admin, served by the real app (needs `npm run build`):
// an admin signs in, creates a TV display and sees its link once (it works on a TV socket), revokes it
// with a confirmation, adds staff (a taken name shows the API's 409 message), changes the time zone
// (a bad one is refused with a message); a manager sees staff and read-only settings only.
// ADMIN_SHOTS=/some/dir saves screenshots there.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../browser/chromium.js';
import { itWithChromium } from '../browser/it-with-chromium.js';
import { nextMessage, startTestApp, type TestApp, type TestPractice } from '../support/test-app.js';
import { createUser, PASSWORD } from '../users/users-support.js';

let t: TestApp;
let p: TestPractice;
let browser: Browser;
const ADMIN = 'admin@admin-page.example';
const MANAGER = 'manager@admin-page.example';
const shots = process.env.ADMIN_SHOTS;

beforeAll(async () => {
  browser = await launchChromium();
  t = await startTestApp({ config: { loginLimits: { perIp: 1000, perAccount: 1000 } } });
  p = await t.createPractice({ name: 'Admin Page Dental', staff: ['Maya'] });
  await createUser(t, p.practiceId, ADMIN, 'admin');
  await createUser(t, p.practiceId, MANAGER, 'manager');
  if (shots) mkdirSync(shots, { recursive: true });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function signedIn(email: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`${t.url}/manage/admin`);
  await page.getByTestId('signin-form').waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('staff-section').waitFor();
  return page;
}

itWithChromium('an admin creates a TV display, sees its link once, and revokes it with a confirmation', async () => {
  const page = await signedIn(ADMIN);
  for (const section of ['users', 'staff', 'displays', 'ingest-keys', 'settings']) await page.getByTestId(`${section}-section`).waitFor();

  const displays = page.getByTestId('displays-section');
  await displays.getByLabel('Name of the new display').fill('Lobby TV');
  await displays.getByRole('button', { name: 'Create display' }).click();
  const secret = page.getByTestId('displays-secret');
  await secret.waitFor();
  const url = await secret.getByLabel('TV link for “Lobby TV”').inputValue();
  expect(url).toMatch(/^http:\/\/localhost\/board\?token=lwd_/);
  await expect(secret.textContent()).resolves.toMatch(/won't be shown again/);
  await secret.getByRole('button', { name: 'Copy' }).click();
  await secret.getByText(/^(Copied\.|Selected: press Ctrl\+C)/).waitFor();
  await displays.getByRole('cell', { name: 'Lobby TV', exact: true }).waitFor();
  if (shots) await page.screenshot({ path: join(shots, 'admin-display-created.png'), fullPage: true });

  // The link's token opens the board.
  const token = new URL(url).searchParams.get('token')!;
  const tv = t.connectBoard(token);
  expect((await nextMessage(tv, 'board:snapshot')).state.practice.name).toBe('Admin Page Dental');

  // Once dismissed (or after a reload) the link is gone for good: only its first characters are listed.
  await secret.getByRole('button', { name: 'Done' }).click();
  await secret.waitFor({ state: 'detached' });
  expect(await page.content()).not.toContain(token);
  await page.reload();
  await displays.getByRole('cell', { name: 'Lobby TV', exact: true }).waitFor();
  expect(await page.content()).not.toContain(token);
  await displays.getByText(`${token.slice(0, 10)}…`).waitFor();

  // Revoke, with a confirmation first; the TV is disconnected.
  const disconnected = new Promise<string>((resolve) => tv.once('disconnect', resolve));
  await displays.getByRole('button', { name: 'Revoke Lobby TV' }).click();
  await displays.getByText('Revoke “Lobby TV”? The TV using it is disconnected at once').waitFor();
  expect(tv.connected).toBe(true);
  await displays.getByRole('button', { name: 'Yes, revoke' }).click();
  await displays.getByText('Revoked “Lobby TV”.').waitFor();
  expect(await disconnected).toBe('io server disconnect');
  await displays.getByRole('cell', { name: /^Revoked / }).waitFor(); // the list's status
  await page.close();
});

itWithChromium('an admin adds staff (a taken name shows why) and changes the time zone (a bad one is refused)', async () => {
  const page = await signedIn(ADMIN);
  const staff = page.getByTestId('staff-section');
  await expect(staff.textContent()).resolves.toMatch(/first name or initials/);
  await staff.getByLabel('Display name (first name or initials)').fill('Ana');
  await staff.getByRole('button', { name: 'Add staff member' }).click();
  await staff.getByText('Added “Ana”.').waitFor();
  await staff.getByLabel('Display name (first name or initials)').fill('maya');
  await staff.getByRole('button', { name: 'Add staff member' }).click();
  await staff
    .getByRole('alert')
    .getByText(/"maya" is already the display name/)
    .waitFor();

  const settings = page.getByTestId('settings-section');
  const zone = settings.getByLabel('Time zone');
  expect(await zone.inputValue()).toBe('America/Chicago');
  await zone.fill('Mars/Olympus_Mons');
  await settings.getByText('“Mars/Olympus_Mons” is not a time zone').waitFor();
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await settings.getByTestId('settings-error').waitFor();
  expect((await t.query(`SELECT time_zone FROM practice WHERE id = $1`, [p.practiceId]))[0].time_zone).toBe('America/Chicago');

  await zone.fill('Europe/London');
  await settings.getByLabel('Saturday').fill('09:00-13:00');
  await settings.getByLabel('Lead merge window (days)').fill('14');
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await settings.getByTestId('settings-saved').waitFor();
  const [row] = await t.query(`SELECT time_zone, opening_hours, lead_merge_window_hours FROM practice WHERE id = $1`, [p.practiceId]);
  expect(row.time_zone).toBe('Europe/London');
  expect(row.opening_hours.sat).toEqual([['09:00', '13:00']]);
  expect(row.lead_merge_window_hours).toBe(14 * 24);
  const board = await t.get('/api/v1/board', p.displayToken);
  expect(board.body.state.practice.timeZone).toBe('Europe/London');
  if (shots) await page.screenshot({ path: join(shots, 'admin-settings.png'), fullPage: true });
  await page.close();
});

itWithChromium('a manager sees the staff and read-only settings, not users, displays or keys', async () => {
  const page = await signedIn(MANAGER);
  await page.getByTestId('settings-read-only').waitFor();
  await page.getByTestId('manager-note').waitFor();
  for (const section of ['users', 'displays', 'ingest-keys']) expect(await page.getByTestId(`${section}-section`).count()).toBe(0);
  expect(await page.getByTestId('settings-section').getByLabel('Time zone').isDisabled()).toBe(true);
  expect(await page.getByRole('button', { name: 'Save settings' }).count()).toBe(0);
  await page.getByTestId('staff-section').getByRole('button', { name: 'Deactivate Maya' }).waitFor();
  if (shots) await page.screenshot({ path: join(shots, 'admin-manager.png'), fullPage: true });
  await page.close();
});
