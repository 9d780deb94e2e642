"use client";

import { useRouter } from "next/navigation";
import { authClient } from "@/app/_lib/auth-client";

export function UserMenu({ email, role }: { email: string; role: string }) {
  const router = useRouter();
  return (
    <div className="ml-auto flex items-center gap-3 text-sm">
      <span className="text-slate-700">
        {email} <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{role}</span>
      </span>
      <button
        type="button"
        className="rounded-md border border-slate-300 px-2 py-1 text-slate-700 hover:bg-slate-50"
        onClick={async () => {
          await authClient.signOut();
          router.replace("/login");
          router.refresh();
        }}
      >
        Sign out
      </button>
    </div>
  );
}
