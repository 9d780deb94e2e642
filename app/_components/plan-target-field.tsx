"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { targetUrlProblems } from "@/lib/cutover/target-url";
import { apiSend, type ApiError } from "@/app/_lib/api-client";
import { TextInput } from "./form-fields";
import { Button } from "./ui";

type TestResult = { ok: true; serverVersion: string; empty: boolean; tables: number; sizeBytes: number } | { ok: false; message: string };

/**
 * A database URL typed once: checked part by part as it is typed (the server checks again),
 * with a button that connects and says what is there. On edit the stored URL stays masked.
 */
export function DatabaseUrlField(props: {
  label: string;
  name: "targetDatabaseUrl" | "rehearsalDatabaseUrl";
  value: string;
  onChange: (v: string) => void;
  serverError?: string;
  stored: string | null;
  cutoverId?: string;
  hint: string;
}) {
  const [replacing, setReplacing] = useState(!props.stored);
  const [touched, setTouched] = useState(false);
  const localProblem = props.value ? targetUrlProblems(props.value, props.name)[0]?.message : undefined;
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
            type="password"
            value={props.value}
            onChange={(v) => {
              props.onChange(v);
              test.reset();
            }}
            placeholder="postgres://user:password@host:5432/database"
            error={props.serverError ?? (touched ? localProblem : undefined)}
            hint={props.hint}
          />
        </div>
      ) : (
        <div>
          <p className="text-sm font-medium text-slate-800">{props.label}</p>
          <p className="mt-1 flex items-center gap-3 text-sm">
            <code className="rounded bg-slate-100 px-2 py-1">{props.stored}</code>
            <Button onClick={() => setReplacing(true)}>Replace</Button>
          </p>
        </div>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <Button onClick={() => test.mutate()} disabled={!testable || test.isPending} aria-label={`Test connection: ${props.label}`}>
          {test.isPending ? "Testing…" : "Test connection"}
        </Button>
        <TestOutcome result={test.data} error={test.error as ApiError | null} />
      </div>
    </div>
  );
}

function TestOutcome({ result, error }: { result?: TestResult; error: ApiError | null }) {
  if (error) return <span role="alert" className="text-sm text-red-700">{error.message}</span>;
  if (!result) return null;
  if (!result.ok) return <span role="alert" className="text-sm text-red-700" data-testid="connection-result">Connection failed: {result.message}</span>;
  return (
    <span role="status" className="text-sm text-emerald-800" data-testid="connection-result">
      Connected: PostgreSQL {result.serverVersion}, {result.empty ? "empty" : `not empty (${result.tables} tables, ${(result.sizeBytes / 1e6).toFixed(1)} MB)`}
    </span>
  );
}
