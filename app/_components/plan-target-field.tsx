"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { targetUrlProblems } from "@/lib/cutover/target-url";
import { apiSend, type ApiError } from "@/app/_lib/api-client";
import { TextInput } from "./form-fields";
import { Button } from "./ui";

type TestResult = { ok: true; serverVersion: string; empty: boolean; tables: number; sizeBytes: number } | { ok: false; message: string };
export type DatabaseUrlName = "targetDatabaseUrl" | "rehearsalDatabaseUrl";

/** The first problem with a typed URL, in the server's own words (lib/cutover/target-url.ts). */
export function databaseUrlProblem(value: string, name: DatabaseUrlName): string | undefined {
  return value ? targetUrlProblems(value, name)[0]?.message : undefined;
}

/** Which parts of a postgres URL are present, so the person typing sees what is still missing. */
function urlParts(value: string): Array<{ part: string; ok: boolean; note?: string }> {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  const port = url?.port ? Number(url.port) : null;
  const database = url ? decodeURIComponent(url.pathname.replace(/^\//, "")) : "";
  return [
    { part: "scheme", ok: url?.protocol === "postgres:" || url?.protocol === "postgresql:", note: "postgres:// or postgresql://" },
    { part: "user", ok: Boolean(url?.username) },
    { part: "password", ok: Boolean(url?.password) },
    { part: "host", ok: Boolean(url?.hostname) },
    { part: "port", ok: Boolean(url) && (port === null || (port >= 1 && port <= 65535)), note: port === null ? "5432 by default" : undefined },
    { part: "database", ok: Boolean(database) && !database.includes("/") },
  ];
}

/**
 * A database URL typed once: checked part by part as it is typed (the server checks again),
 * with a button that connects and says what is there. On edit the stored URL stays masked.
 */
export function DatabaseUrlField(props: {
  label: string;
  name: DatabaseUrlName;
  value: string;
  onChange: (v: string) => void;
  /** From the server, or from the form's own check on submit. */
  error?: string;
  stored: string | null;
  cutoverId?: string;
  hint: string;
}) {
  const partsId = useId();
  const [replacing, setReplacing] = useState(!props.stored);
  const [touched, setTouched] = useState(false);
  const [shown, setShown] = useState(false);
  const localProblem = databaseUrlProblem(props.value, props.name);
  const test = useMutation({
    mutationFn: () =>
      apiSend<TestResult>("POST", "/api/target-connection", props.value ? { url: props.value } : { cutoverId: props.cutoverId, which: props.name === "targetDatabaseUrl" ? "target" : "rehearsal" }),
  });
  const testable = props.value ? !localProblem : Boolean(props.stored && props.cutoverId);
  return (
    <div className="space-y-2">
      {replacing ? (
        <div onBlur={() => setTouched(true)}>
          <TextInput
            label={props.label}
            name={props.name}
            type={shown ? "text" : "password"}
            value={props.value}
            onChange={(v) => {
              props.onChange(v);
              test.reset();
            }}
            placeholder="postgres://user:password@host:5432/database"
            error={props.error ?? (touched ? localProblem : undefined)}
            hint={props.hint}
          />
          <div className="mt-1 flex flex-wrap items-center gap-3">
            <Button className="px-2 py-0.5 text-xs" aria-pressed={shown} onClick={() => setShown(!shown)}>
              Show URL
            </Button>
            {props.stored && (
              <Button
                className="px-2 py-0.5 text-xs"
                onClick={() => {
                  props.onChange("");
                  setReplacing(false);
                }}
              >
                Keep the stored URL
              </Button>
            )}
            {props.value && (
              <ul id={partsId} className="flex flex-wrap gap-x-3 text-xs" aria-label={`${props.label}: parts`}>
                {urlParts(props.value).map((p) => (
                  <li key={p.part} className={p.ok ? "text-emerald-800" : "text-red-700"} title={p.note}>
                    <span aria-hidden="true">{p.ok ? "✓" : "✗"}</span> {p.part}
                    <span className="sr-only">{p.ok ? " present" : " missing or wrong"}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      ) : (
        <div>
          <p className="text-sm font-medium text-slate-800">{props.label}</p>
          <p className="mt-1 flex flex-wrap items-center gap-3 text-sm">
            <code className="rounded bg-slate-100 px-2 py-1" data-testid={`${props.name}-stored`}>
              {props.stored}
            </code>
            <Button onClick={() => setReplacing(true)} aria-label={`Replace the ${props.label.replace(/ \(optional\)$/, "")}`}>
              Replace
            </Button>
          </p>
          <p className="mt-1 text-xs text-slate-500">Stored encrypted; only the masked form is ever shown. Replacing it changes the plan.</p>
        </div>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <Button onClick={() => test.mutate()} disabled={!testable || test.isPending} aria-label={`Test connection: ${props.label}`}>
          {test.isPending ? "Testing…" : "Test connection"}
        </Button>
        {!testable && !test.isPending && <span className="text-xs text-slate-500">{props.value ? "Fix the URL to test it." : "Enter a URL to test it."}</span>}
        <TestOutcome result={test.data} error={test.error as ApiError | null} />
      </div>
    </div>
  );
}

function TestOutcome({ result, error }: { result?: TestResult; error: ApiError | null }) {
  if (error) {
    return (
      <span role="alert" className="text-sm text-red-700" data-testid="connection-result">
        Could not test: {error.body?.fields?.[0]?.message ? `the URL ${error.body.fields[0].message}` : error.message}
      </span>
    );
  }
  if (!result) return null;
  if (!result.ok) {
    return (
      <span role="alert" className="text-sm text-red-700" data-testid="connection-result">
        Connection failed: {result.message}
      </span>
    );
  }
  return (
    <span role="status" className={`text-sm ${result.empty ? "text-emerald-800" : "text-amber-800"}`} data-testid="connection-result">
      Connected: PostgreSQL {result.serverVersion}, {result.empty ? "empty" : `not empty (${result.tables} tables, ${(result.sizeBytes / 1e6).toFixed(1)} MB): the cutover needs an empty database`}
    </span>
  );
}
