"use client";

import { useQuery } from "@tanstack/react-query";
import { apiGet } from "./api-client";
import { queryKeys } from "./query-keys";

export interface Me {
  user: { id: string; email: string; name: string; role: string };
  permissions: string[];
}

/** The signed-in person; `can(p)` hides buttons the role may not use (the server still decides). */
export function useMe() {
  const query = useQuery({ queryKey: queryKeys.me(), queryFn: () => apiGet<Me>("/api/me"), staleTime: 60_000 });
  return { me: query.data, can: (permission: string) => query.data?.permissions.includes(permission) ?? false };
}
