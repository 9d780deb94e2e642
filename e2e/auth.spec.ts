import { expect, test } from "@playwright/test";
import { signIn } from "./support";

test("the dashboard cannot be used without signing in", async ({ page, request }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("heading", { name: "Sign in to Switchyard" })).toBeVisible();
  const api = await request.get("/api/cutovers");
  expect(api.status()).toBe(401);
  expect(await api.json()).toEqual({ error: { code: "unauthorized", message: "sign in first", fields: [] } });
  await page.screenshot({ path: "e2e/artifacts/login.png" });
  // The favicon is public/favicon.svg, served before anyone signs in.
  await expect(page.locator('link[rel="icon"]')).toHaveAttribute("href", "/favicon.svg");
  const icon = await request.get("/favicon.svg");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toMatch(/^image\/svg\+xml/);
});

test("a wrong password is refused with a clear message, and sign-out ends the session", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("viewer@switchyard.local");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "do not match" })).toHaveText("That email and password do not match an account.");

  await signIn(page, "viewer@switchyard.local");
  await expect(page.getByText("viewer@switchyard.local")).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  expect((await page.request.get("/api/cutovers")).status()).toBe(401);
});

test("a cross-site request with the session cookie is refused", async ({ page }) => {
  await signIn(page, "operator@switchyard.local");
  const res = await page.request.post("/api/cutovers/00000000-0000-4000-8000-000000000000/runs", {
    headers: { origin: "https://evil.example.com", "content-type": "application/json" },
    data: { kind: "preflight" },
  });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.message).toMatch(/cross-site request refused/);
});
