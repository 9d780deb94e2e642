"use client";

import { createAuthClient } from "better-auth/react";

/** Talks to /api/auth on the same origin. */
export const authClient = createAuthClient();

/** Starts SSO sign-in: the server answers with the provider's authorization URL. */
export async function startSso(callbackURL: string): Promise<void> {
  const res = await fetch("/api/auth/sign-in/oauth2", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ providerId: "sso", callbackURL }),
  });
  const body = (await res.json().catch(() => null)) as { url?: string } | null;
  if (body?.url) window.location.assign(body.url);
}
