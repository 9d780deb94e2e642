"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { getCutover } from "@/lib/cutover/get-cutover";
import { wallTimeIn } from "@/lib/time/zoned";
import { ApiError, apiSend } from "@/app/_lib/api-client";
import { queryKeys } from "@/app/_lib/query-keys";
import { TextInput } from "./form-fields";
import { HerokuAppField } from "./plan-app-field";
import { emptySmokeRow, SmokeChecksField, smokeChecksBody, type SmokeRow } from "./plan-smoke-field";
import { DatabaseUrlField } from "./plan-target-field";
import { windowBody, WindowField, type WindowValue } from "./plan-window-field";
import { Alert, Button, Dialog } from "./ui";

export type CutoverDetail = Awaited<ReturnType<typeof getCutover>>;

function initialState(c: CutoverDetail | null) {
  const zone = c?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC";
  const wall = (d: Date | string | null | undefined) => (d ? wallTimeIn(new Date(d), zone) : "");
  const smoke = (c?.smokeChecks ?? []) as Array<{ url: string; expectStatus?: number; expectText?: string; maxLatencyMs?: number; imagesLoad?: boolean }>;
  return {
    name: c?.name ?? "",
    herokuAppId: c?.app.id ?? "",
    targetDatabaseUrl: "",
    rehearsalDatabaseUrl: "",
    smoke: smoke.map<SmokeRow>((s) => ({ url: s.url, expectStatus: String(s.expectStatus ?? 200), expectText: s.expectText ?? "", maxLatencyMs: String(s.maxLatencyMs ?? 2000), imagesLoad: Boolean(s.imagesLoad) })),
    window: { start: wall(c?.windowStartsAt), end: wall(c?.windowEndsAt), timeZone: zone } as WindowValue,
    requiredApprovals: String(c?.requiredApprovals ?? 2),
  };
}

/** Create or edit a plan. Every field is validated again on the server; its messages land beside the fields. */
export function PlanForm({ cutover }: { cutover: CutoverDetail | null }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [state, setState] = useState(() => initialState(cutover));
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const currentSignOffs = cutover?.signOffs.filter((s) => s.current).length ?? 0;

  const save = useMutation({
    mutationFn: async (body: Record<string, unknown>) =>
      cutover ? apiSend<{ id: string }>("PATCH", `/api/cutovers/${cutover.id}`, { ...body, version: cutover.version }) : apiSend<{ id: string }>("POST", "/api/cutovers", body),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.cutovers() });
      router.push(`/cutovers/${saved.id ?? cutover?.id}`);
    },
  });
  const apiError = save.error instanceof ApiError ? save.error : null;
  const errors: Record<string, string> = { ...localErrors, ...Object.fromEntries((apiError?.body.fields ?? []).map((f) => [f.path, f.message])) };
  const errorCount = Object.keys(errors).length;

  // After a failed save, put the keyboard on the first field that needs fixing.
  useEffect(() => {
    if (errorCount > 0) formRef.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus();
  }, [errorCount, save.failureCount]);

  const submit = () => {
    const window = windowBody(state.window);
    if ("error" in window) return setLocalErrors({ [window.path]: window.error });
    setLocalErrors({});
    save.mutate({
      name: state.name,
      ...(cutover ? {} : { herokuAppId: state.herokuAppId || undefined }),
      ...(state.targetDatabaseUrl ? { targetDatabaseUrl: state.targetDatabaseUrl } : {}),
      ...(state.rehearsalDatabaseUrl ? { rehearsalDatabaseUrl: state.rehearsalDatabaseUrl } : {}),
      smokeChecks: smokeChecksBody(state.smoke),
      ...window,
      requiredApprovals: /^\d+$/.test(state.requiredApprovals) ? Number(state.requiredApprovals) : state.requiredApprovals,
    });
  };

  return (
    <form
      ref={formRef}
      noValidate
      className="space-y-6"
      onSubmit={(e) => {
        e.preventDefault();
        if (cutover && currentSignOffs > 0) setConfirming(true);
        else submit();
      }}
    >
      {errorCount > 0 && (
        <Alert>
          <p className="font-medium">The plan was not saved: {errorCount === 1 ? "one field needs" : `${errorCount} fields need`} fixing.</p>
          <ul className="mt-1 list-disc pl-5">
            {Object.entries(errors).map(([path, message]) => (
              <li key={path}>
                {path} {message}
              </li>
            ))}
          </ul>
        </Alert>
      )}
      {apiError && !apiError.body.fields?.length && (
        <Alert>
          {apiError.message}
          {apiError.status === 409 && (
            <Button className="ml-3" onClick={() => window.location.reload()}>
              Reload the plan
            </Button>
          )}
        </Alert>
      )}
      <div className="grid gap-6 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <TextInput label="Name" name="name" value={state.name} onChange={(name) => setState({ ...state, name })} error={errors.name} placeholder="Move shop-prod to RDS" />
        <HerokuAppField value={state.herokuAppId} onChange={(herokuAppId) => setState({ ...state, herokuAppId })} error={errors.herokuAppId} locked={Boolean(cutover)} />
        <DatabaseUrlField
          label="Target database URL"
          name="targetDatabaseUrl"
          value={state.targetDatabaseUrl}
          onChange={(targetDatabaseUrl) => setState({ ...state, targetDatabaseUrl })}
          serverError={errors.targetDatabaseUrl}
          stored={cutover?.target ?? null}
          cutoverId={cutover?.id}
          hint="Entered once, stored encrypted, shown only masked afterwards. The database must be empty."
        />
        <DatabaseUrlField
          label="Rehearsal database URL (optional)"
          name="rehearsalDatabaseUrl"
          value={state.rehearsalDatabaseUrl}
          onChange={(rehearsalDatabaseUrl) => setState({ ...state, rehearsalDatabaseUrl })}
          serverError={errors.rehearsalDatabaseUrl}
          stored={cutover?.rehearsalTarget ?? null}
          cutoverId={cutover?.id}
          hint="A scratch database rehearsals copy into (it is wiped before each rehearsal). Rehearsals measure the copy time."
        />
        <SmokeChecksField rows={state.smoke} onChange={(smoke) => setState({ ...state, smoke })} errors={errors} />
        <WindowField value={state.window} onChange={(window) => setState({ ...state, window })} errors={errors} />
        <div className="max-w-xs">
          <TextInput
            label="Required sign-offs"
            name="requiredApprovals"
            type="number"
            min={0}
            max={20}
            value={state.requiredApprovals}
            onChange={(requiredApprovals) => setState({ ...state, requiredApprovals })}
            error={errors.requiredApprovals}
            hint="Approvers who must approve this exact plan; the operator alone never counts."
          />
        </div>
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" variant="primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : cutover ? "Save changes" : "Create plan"}
        </Button>
        <Button onClick={() => router.back()}>Cancel</Button>
        {cutover && currentSignOffs > 0 && <p className="text-sm text-amber-800">Saving changes the plan: its {currentSignOffs} current sign-off(s) will no longer count.</p>}
      </div>
      {confirming && (
        <Dialog title="Save and invalidate sign-offs?" onClose={() => setConfirming(false)}>
          <p>
            This plan has {currentSignOffs} sign-off(s) for its current version. Any change gives the plan a new hash, and approvers must review and sign off again.
          </p>
          <div className="flex justify-end gap-2">
            <Button onClick={() => setConfirming(false)}>Keep editing</Button>
            <Button
              variant="primary"
              onClick={() => {
                setConfirming(false);
                submit();
              }}
            >
              Save and ask again
            </Button>
          </div>
        </Dialog>
      )}
    </form>
  );
}
