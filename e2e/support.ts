import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "switchyard-demo";

/** The e2e product's ports, shifted together by E2E_PORT_OFFSET (see playwright.config.ts). */
export const E2E_OFFSET = Number(process.env.E2E_PORT_OFFSET ?? 0);
export const BASE = `http://127.0.0.1:${3100 + E2E_OFFSET}`;
export const E2E_HOME = E2E_OFFSET ? `.switchyard/e2e-${E2E_OFFSET}` : ".switchyard/e2e";

/** Signs in through the login form, as a person would. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  // The server allows 5 sign-ins a minute per client address and a suite signs in far more often
  // than a person does, so each sign-in comes from an address of its own.
  await page.setExtraHTTPHeaders({ "x-forwarded-for": randomClientAddress() });
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  // The first sign-in of a fresh `next dev` compiles the auth routes: allow for a slow machine.
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible({ timeout: 60_000 });
}

function randomClientAddress(): string {
  const octet = () => Math.floor(Math.random() * 254) + 1;
  return `10.${octet()}.${octet()}.${octet()}`;
}
