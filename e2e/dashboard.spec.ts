import { expect, test } from "@playwright/test";

test("the dashboard loads and lists the seeded draft cutover", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Cutovers" })).toBeVisible();
  const row = page.getByTestId("cutover-row").filter({ hasText: "Move switchyard-demo to the new Postgres" });
  await expect(row).toBeVisible();
  await expect(row.getByText("draft")).toBeVisible();
  await expect(row.getByText("0 of 2")).toBeVisible();
  await page.screenshot({ path: "e2e/artifacts/dashboard.png", fullPage: true });
});

test("the health endpoint answers for monitors", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ ok: true });
});
