import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { actorFor } from "./_lib/server-context";
import { UserMenu } from "./_components/user-menu";
import type { ReactNode } from "react";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: "Switchyard",
  description: "Coordinated database cutovers for Heroku apps",
  icons: { icon: { url: "/favicon.svg", type: "image/svg+xml" } },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const actor = await actorFor(await headers());
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <header className="border-b border-slate-200 bg-white">
          <nav className="mx-auto flex max-w-6xl items-center gap-6 px-6 py-3" aria-label="Main">
            <Link href="/" className="text-lg font-semibold tracking-tight">
              Switchyard
            </Link>
            <Link href="/" className="text-sm text-slate-600 hover:text-slate-900">
              Cutovers
            </Link>
            <Link href="/audit" className="text-sm text-slate-600 hover:text-slate-900">
              Audit
            </Link>
            {actor.type === "user" && <UserMenu email={actor.email} role={actor.role} />}
          </nav>
        </header>
        <Providers>
          <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
