import { expect, test } from "@playwright/test";
import { signIn } from "./support";

test("the dashboard lists the seeded draft cutover after signing in", async ({ page }) => {
  await signIn(page, "operator@switchyard.local");
  await expect(page.getByRole("heading", { name: "Cutovers" })).toBeVisible();
  const row = page.getByTestId("cutover-row").filter({ hasText: "Move switchyard-demo to the new Postgres" });
  await expect(row).toBeVisible();
  await expect(row.getByText("switchyard-demo", { exact: true })).toBeVisible();
  await expect(row.getByText("0 of 2")).toBeVisible();
  await page.screenshot({ path: "e2e/artifacts/dashboard.png", fullPage: true });
});

test("the health endpoint answers for monitors without signing in", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ ok: true });
  const openapi = await request.get("/api/openapi.json");
  expect(openapi.status()).toBe(200);
  expect((await openapi.json()).openapi).toMatch(/^3\.1/);
});
