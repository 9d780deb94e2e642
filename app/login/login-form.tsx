"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { authClient, startSso } from "@/app/_lib/auth-client";

function messageFor(status: number | undefined, fallback: string | undefined): string {
  if (status === 429) return "Too many sign-in attempts. Wait a minute and try again.";
  if (status === 401 || status === 400) return "That email and password do not match an account.";
  return fallback ?? "Sign-in failed. Try again.";
}

export function LoginForm({ next, sso }: { next: string; sso: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // Until the script runs, a native submit would put the password in the URL: keep the button off.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const { error: failure } = await authClient.signIn.email({ email: String(form.get("email")), password: String(form.get("password")) });
    setPending(false);
    if (failure) return setError(messageFor(failure.status, failure.message));
    router.replace(next);
    router.refresh();
  }

  return (
    <form onSubmit={submit} method="post" className="mt-6 space-y-4" noValidate>
      <label className="block text-sm font-medium">
        Email
        <input name="email" type="email" autoComplete="username" required autoFocus className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm" />
      </label>
      <label className="block text-sm font-medium">
        Password
        <input name="password" type="password" autoComplete="current-password" required className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm" />
      </label>
      {error && (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
          {error}
        </p>
      )}
      <button type="submit" disabled={pending || !ready} className="w-full rounded-md bg-slate-900 px-3 py-2 text-sm font-medium text-white disabled:opacity-60">
        {pending ? "Signing in…" : "Sign in"}
      </button>
      {sso && (
        <button type="button" onClick={() => void startSso(next)} className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm">
          Sign in with {sso}
        </button>
      )}
    </form>
  );
}
