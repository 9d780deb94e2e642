import { describe, expect, it } from "vitest";
import { createAuth } from "@/lib/auth/create-auth";
import { useTestDatabase } from "../support/test-db";

// Sign-in attempts are limited to 5 a minute per client address. Behind reverse proxies
// (SWITCHYARD_TRUSTED_PROXIES) the client is the last X-Forwarded-For entry that is not a proxy:
// neither a shared bucket that locks everyone out nor an address the client picks for itself.
const t = useTestDatabase();
const ORIGIN = "http://127.0.0.1:3000";

function auth(trustedProxies?: string[]) {
  return createAuth({ db: t.db, secretKey: t.ctx().secretKey, baseUrl: ORIGIN, trustedOrigins: [ORIGIN], secureCookies: false, trustedProxies });
}

async function wrongPassword(a: ReturnType<typeof auth>, forwardedFor: string): Promise<number> {
  const res = await a.handler(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN, "x-forwarded-for": forwardedFor },
      body: JSON.stringify({ email: "nobody@example.com", password: "not-the-password-1" }),
    }),
  );
  return res.status;
}

describe("sign-in rate limit behind trusted proxies", () => {
  it("limits each client by its own address: one client's failures do not lock out another", async () => {
    const a = auth(["10.0.0.0/8"]);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push(await wrongPassword(a, "203.0.113.5, 10.0.0.1"));
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(await wrongPassword(a, "198.51.100.7, 10.0.0.1")).toBe(401);
  });

  it("ignores the entries a client writes itself in front of what the proxy saw", async () => {
    const a = auth(["10.0.0.0/8"]);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push(await wrongPassword(a, `192.0.2.${i + 1}, 203.0.113.9, 10.0.0.1`));
    expect(statuses.at(-1)).toBe(429);
  });
});
