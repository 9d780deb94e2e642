"use client";

import Link from "next/link";
import { useMe } from "@/app/_lib/use-me";

/** Shown only to roles that may plan a cutover. */
export function NewCutoverLink() {
  const { can } = useMe();
  if (!can("cutover.create")) return null;
  return (
    <Link href="/cutovers/new" className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 focus-visible:ring-2 focus-visible:ring-sky-500">
      New cutover
    </Link>
  );
}
