"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { getCutover } from "@/lib/cutover/get-cutover";
import { wallTimeIn } from "@/lib/time/zoned";
import { ApiError, apiSend } from "@/app/_lib/api-client";
import { queryKeys } from "@/app/_lib/query-keys";
import { useMe } from "@/app/_lib/use-me";
import { stepKind } from "@/lib/steps/catalog";
import { defaultPlanSteps } from "@/lib/steps/core-plan";
import { planStepProblems } from "@/lib/steps/plan-rules";
import type { PlanStepSpec } from "@/lib/steps/plan-step";
import { TextInput } from "./form-fields";
import { PlanStepsField, withUid, type StepRow } from "./plan-steps-field";
import { HerokuAppField } from "./plan-app-field";
import { SmokeChecksField, smokeChecksBody, type SmokeRow } from "./plan-smoke-field";
import { notificationsBody, NotificationsField, notifyLabelOf, notifyRows } from "./plan-notify-field";
import { databaseUrlProblem, DatabaseUrlField } from "./plan-target-field";
import { windowBody, WindowField, type WindowValue } from "./plan-window-field";
import { Alert, Button, Dialog } from "./ui";

export type CutoverDetail = Awaited<ReturnType<typeof getCutover>>;
type FormState = ReturnType<typeof initialState>;
type Errors = Record<string, string>;
/** The routes answer with the id at the top level; the API contract nests it under `cutover`: accept both. */
type SaveAnswer = { id?: string; cutover?: { id: string } };

const LABELS: Record<string, string> = {
  name: "Name",
  herokuAppId: "Heroku app",
  targetDatabaseUrl: "Target database URL",
  rehearsalDatabaseUrl: "Rehearsal database URL",
  smokeChecks: "Smoke checks",
  windowStartsAt: "Window start",
  windowEndsAt: "Window end",
  timeZone: "Time zone",
  requiredApprovals: "Required sign-offs",
};
const SMOKE_LABELS: Record<string, string> = { url: "URL", expectStatus: "expected status", expectText: "text that must appear", maxLatencyMs: "latency budget", imagesLoad: "images" };

/** "smokeChecks.0.url" → "Smoke check 1, URL", "steps.8.params.sql" → "Step 9 (sql), sql"; unknown paths as they are. */
function labelOf(path: string, steps: StepRow[]): string {
  const smoke = /^smokeChecks\.(\d+)\.(\w+)$/.exec(path);
  if (smoke) return `Smoke check ${Number(smoke[1]) + 1}, ${SMOKE_LABELS[smoke[2]!] ?? smoke[2]}`;
  const step = /^steps\.(\d+)(?:\.(?:params\.)?(\w+))?$/.exec(path);
  if (step) return `Step ${Number(step[1]) + 1} (${steps[Number(step[1])]?.key ?? "?"})${step[2] ? `, ${step[2]}` : ""}`;
  if (path === "steps") return "Runbook";
  return notifyLabelOf(path) ?? LABELS[path] ?? path;
}

/** The plan's steps as the form edits them; a description the kind wrote itself is left to the server. */
function stepRows(steps: PlanStepSpec[]): StepRow[] {
  return steps.map(({ key, kind, params, description }) => {
    const parsed = stepKind(kind).params.safeParse(params);
    const generated = parsed.success && stepKind(kind).does(parsed.data) === description;
    return withUid({ key, kind, params, description: generated ? undefined : description });
  });
}

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
    steps: stepRows(c?.steps ?? defaultPlanSteps()),
    notify: notifyRows(c?.notifications),
  };
}

/** What the browser can check before sending (the server checks everything again). */
function localErrors(state: FormState): Errors {
  const errors: Errors = {};
  if (!state.name.trim()) errors.name = "is required";
  for (const name of ["targetDatabaseUrl", "rehearsalDatabaseUrl"] as const) {
    const problem = databaseUrlProblem(state[name], name);
    if (problem) errors[name] = problem;
  }
  for (const p of planStepProblems(state.steps)) errors[p.path] ??= p.message;
  const window = windowBody(state.window);
  return "errors" in window ? { ...errors, ...window.errors } : errors;
}

function requestBody(state: FormState, creating: boolean) {
  const window = windowBody(state.window);
  return {
    name: state.name,
    ...(creating ? { herokuAppId: state.herokuAppId || undefined } : {}),
    ...(state.targetDatabaseUrl ? { targetDatabaseUrl: state.targetDatabaseUrl } : {}),
    ...(state.rehearsalDatabaseUrl ? { rehearsalDatabaseUrl: state.rehearsalDatabaseUrl } : {}),
    smokeChecks: smokeChecksBody(state.smoke),
    ...("errors" in window ? {} : window),
    requiredApprovals: /^\d+$/.test(state.requiredApprovals) ? Number(state.requiredApprovals) : state.requiredApprovals,
    steps: state.steps.map(({ key, kind, params, description }) => ({ key, kind, params, ...(description ? { description } : {}) })),
    notifications: notificationsBody(state.notify),
  };
}

/** The fields the plan hash covers (the name and the rehearsal database are not part of it). */
function hashedPart(body: ReturnType<typeof requestBody>): string {
  const { name: _name, rehearsalDatabaseUrl: _rehearsal, ...rest } = body as Record<string, unknown>;
  return JSON.stringify(rest);
}

/** Create or edit a plan. Every field is validated again on the server; its messages land beside the fields. */
export function PlanForm({ cutover }: { cutover: CutoverDetail | null }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const { me, can } = useMe();
  const [state, setState] = useState(() => initialState(cutover));
  // The version this form was opened at: a newer one fetched meanwhile must not sneak into the PATCH.
  const [baseVersion] = useState(cutover?.version);
  const [unchangedPlan] = useState(() => hashedPart(requestBody(initialState(cutover), !cutover)));
  const [errors, setErrors] = useState<Errors>({});
  const [attempt, setAttempt] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const currentSignOffs = cutover?.signOffs.filter((s) => s.current).length ?? 0;

  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      cutover ? apiSend<SaveAnswer>("PATCH", `/api/cutovers/${cutover.id}`, { ...body, version: baseVersion }) : apiSend<SaveAnswer>("POST", "/api/cutovers", body),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.cutovers() });
      router.push(`/cutovers/${saved.id ?? saved.cutover?.id ?? cutover?.id}`);
    },
    onError: (err) => {
      if (err instanceof ApiError && err.body.fields?.length) setErrors(Object.fromEntries(err.body.fields.map((f) => [f.path, f.message])));
      setAttempt((n) => n + 1);
    },
  });
  const apiError = save.error instanceof ApiError ? save.error : save.error ? new ApiError(0, { code: "network", message: `The server could not be reached (${save.error.message}); nothing was saved.` }) : null;
  const errorCount = Object.keys(errors).length;

  // After a failed save, put the keyboard on the first field that needs fixing (in page order).
  useEffect(() => {
    if (attempt === 0) return;
    const first = formRef.current?.querySelector<HTMLElement>("[aria-invalid=true]");
    (first ?? formRef.current?.querySelector<HTMLElement>("[data-form-summary]"))?.focus();
  }, [attempt]);

  /** Updates a part of the form and forgets the errors that part had. */
  const update = (patch: Partial<FormState>, ...paths: string[]) => {
    setState((s) => ({ ...s, ...patch }));
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([p]) => !paths.some((x) => p === x || p.startsWith(`${x}.`)))));
  };

  const submit = () => {
    const local = localErrors(state);
    setErrors(local);
    if (Object.keys(local).length > 0) return setAttempt((n) => n + 1);
    save.mutate(requestBody(state, !cutover));
  };
  const planChanges = hashedPart(requestBody(state, !cutover)) !== unchangedPlan;

  return (
    <form
      ref={formRef}
      noValidate
      aria-label={cutover ? "Edit plan" : "New plan"}
      className="space-y-6"
      onSubmit={(e) => {
        e.preventDefault();
        if (save.isPending) return;
        if (cutover && currentSignOffs > 0 && planChanges && Object.keys(localErrors(state)).length === 0) setConfirming(true);
        else submit();
      }}
    >
      {me && !cutover && !can("cutover.create") && <Alert tone="warning">Your role ({me.user.role}) cannot create plans; ask an operator.</Alert>}
      {errorCount > 0 && (
        <div tabIndex={-1} data-form-summary className="focus:outline-none">
          <Alert>
            <p className="font-medium">The plan was not saved: {errorCount === 1 ? "one field needs" : `${errorCount} fields need`} fixing.</p>
            <ul className="mt-1 list-disc pl-5">
              {Object.entries(errors).map(([path, message]) => (
                <li key={path}>
                  <a
                    href={`#${path}`}
                    className="underline"
                    onClick={(e) => {
                      e.preventDefault();
                      formRef.current?.querySelector<HTMLElement>(`[name="${CSS.escape(path)}"], [data-path="${CSS.escape(path)}"]`)?.focus();
                    }}
                  >
                    {labelOf(path, state.steps)}
                  </a>
                  : {message}
                </li>
              ))}
            </ul>
          </Alert>
        </div>
      )}
      {apiError && !apiError.body.fields?.length && (
        <Alert>
          {apiError.status === 409 ? (
            <>
              <p className="font-medium">Not saved: {apiError.message}.</p>
              <p className="mt-1">Someone changed or started this plan after you opened it. Reload to see the current version, then make your change again (your edits here are not kept).</p>
              <Button className="mt-2" onClick={() => window.location.reload()}>
                Reload the plan
              </Button>
            </>
          ) : (
            <>Not saved: {apiError.message}</>
          )}
        </Alert>
      )}
      <div className="grid gap-6 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <TextInput label="Name" name="name" value={state.name} onChange={(name) => update({ name }, "name")} error={errors.name} placeholder="Move shop-prod to RDS" />
        <HerokuAppField value={state.herokuAppId} onChange={(herokuAppId) => update({ herokuAppId }, "herokuAppId")} error={errors.herokuAppId} locked={Boolean(cutover)} />
        <DatabaseUrlField
          label="Target database URL"
          name="targetDatabaseUrl"
          value={state.targetDatabaseUrl}
          onChange={(targetDatabaseUrl) => update({ targetDatabaseUrl }, "targetDatabaseUrl")}
          error={errors.targetDatabaseUrl}
          stored={cutover?.target ?? null}
          cutoverId={cutover?.id}
          hint="Entered once, stored encrypted, shown only masked afterwards. The database must be empty."
        />
        <DatabaseUrlField
          label="Rehearsal database URL (optional)"
          name="rehearsalDatabaseUrl"
          value={state.rehearsalDatabaseUrl}
          onChange={(rehearsalDatabaseUrl) => update({ rehearsalDatabaseUrl }, "rehearsalDatabaseUrl")}
          error={errors.rehearsalDatabaseUrl}
          stored={cutover?.rehearsalTarget ?? null}
          cutoverId={cutover?.id}
          hint="A scratch database rehearsals copy into (it is wiped before each rehearsal). Rehearsals measure the copy time."
        />
        <SmokeChecksField rows={state.smoke} onChange={(smoke) => update({ smoke }, "smokeChecks")} errors={errors} />
        <PlanStepsField steps={state.steps} onChange={(steps) => update({ steps }, "steps")} errors={errors} />
        <WindowField value={state.window} onChange={(window) => update({ window }, "windowStartsAt", "windowEndsAt", "timeZone")} errors={errors} />
        <NotificationsField rows={state.notify} onChange={(notify) => update({ notify }, "notifications")} errors={errors} />
        <div className="max-w-xs">
          <TextInput
            label="Required sign-offs"
            name="requiredApprovals"
            type="number"
            min={0}
            max={20}
            value={state.requiredApprovals}
            onChange={(requiredApprovals) => update({ requiredApprovals }, "requiredApprovals")}
            error={errors.requiredApprovals}
            hint="Approvers who must approve this exact plan; the operator's own approval never counts alone."
          />
        </div>
      </div>
      {cutover && currentSignOffs > 0 && (
        <Alert tone="warning">
          {planChanges
            ? `Saving these changes gives the plan a new hash: its ${currentSignOffs} current sign-off(s) will no longer count, and approvers must sign off again.`
            : `This plan has ${currentSignOffs} current sign-off(s). Changing anything but the name or the rehearsal database gives it a new hash, and they will no longer count.`}
        </Alert>
      )}
      <div className="flex items-center gap-3">
        <Button type="submit" variant="primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : cutover ? "Save changes" : "Create plan"}
        </Button>
        <Button onClick={() => router.push(cutover ? `/cutovers/${cutover.id}` : "/")}>Cancel</Button>
      </div>
      {confirming && (
        <Dialog title="Save and invalidate sign-offs?" onClose={() => setConfirming(false)}>
          <p>
            This plan has {currentSignOffs} sign-off(s) for its current version. Your changes give the plan a new hash: those sign-offs will be shown as for an earlier
            version, no longer count, and the approvers must review and sign off again before the cutover can start.
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
