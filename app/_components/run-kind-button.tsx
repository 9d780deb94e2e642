"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { apiSend } from "@/app/_lib/api-client";
import { queryKeys } from "@/app/_lib/query-keys";
import { Alert, Button } from "./ui";

/** Starts a preflight or a rehearsal (neither touches the app) and follows it. */
export function StartCheckButton({ cutoverId, kind, label, disabled }: { cutoverId: string; kind: "preflight" | "rehearsal"; label: string; disabled?: boolean }) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const start = useMutation({
    mutationFn: () => apiSend<{ run: { id: string } }>("POST", `/api/cutovers/${cutoverId}/runs`, { kind }),
    onSuccess: async ({ run }) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.cutover(cutoverId) });
      if (kind === "rehearsal") router.push(`/runs/${run.id}`);
    },
  });
  return (
    <span className="inline-flex flex-col gap-1">
      <Button onClick={() => start.mutate()} disabled={disabled || start.isPending}>
        {start.isPending ? "Starting…" : label}
      </Button>
      {start.error && <Alert>{start.error.message}</Alert>}
    </span>
  );
}
