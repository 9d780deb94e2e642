import { webEnv } from "@/lib/env/web";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  const env = webEnv();
  const sso = env.OIDC_ISSUER_URL && env.OIDC_CLIENT_ID ? env.OIDC_NAME : null;
  // Only same-site paths: an open redirect would let a link send people elsewhere after sign-in.
  const target = next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
  return (
    <section className="mx-auto mt-12 max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-xl font-semibold">Sign in to Switchyard</h1>
      <p className="mt-1 text-sm text-slate-600">Cutovers can take production apps down; every action is audited under your name.</p>
      <LoginForm next={target} sso={sso} />
    </section>
  );
}
