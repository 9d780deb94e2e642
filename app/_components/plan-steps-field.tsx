"use client";

import { useEffect, useId, useRef, useState } from "react";
import { stepKind } from "@/lib/steps/catalog";
import { paramFields, paramValue, type ParamField } from "@/lib/steps/param-fields";
import { addStep, isCoreStep, moveStep, optionalKinds, removeStep, type EditResult, type StepDraft } from "@/lib/steps/runbook-edit";
import { Button, inputClass } from "./ui";

/** A draft step plus a stable id for React (keys may be renamed while editing). */
export type StepRow = StepDraft & { uid: string };

let nextUid = 0;
export const withUid = (step: StepDraft): StepRow => ({ ...step, uid: `step-${++nextUid}` });

/**
 * The runbook: the fixed core, and optional steps the operator adds, moves, configures and removes
 * around it. A move the core forbids is refused on the spot with the reason; the server checks again.
 */
export function PlanStepsField({ steps, onChange, errors }: { steps: StepRow[]; onChange: (steps: StepRow[]) => void; errors: Record<string, string> }) {
  const id = useId();
  const kinds = optionalKinds();
  const [adding, setAdding] = useState(kinds[0]?.kind ?? "");
  const [refusal, setRefusal] = useState<string | null>(null);
  const [focus, setFocus] = useState<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  // After a move, add or remove, the keyboard stays on the control that was used (or the new step).
  useEffect(() => {
    if (!focus) return;
    listRef.current?.parentElement?.querySelector<HTMLElement>(`[data-focus-id="${CSS.escape(focus)}"]`)?.focus();
    setFocus(null);
  }, [focus]);

  const apply = (result: EditResult<StepRow>, focusId: string | null) => {
    if (!result.steps) return setRefusal(result.refused);
    setRefusal(null);
    onChange(result.steps);
    setFocus(focusId);
  };
  const setStep = (uid: string, patch: Partial<StepRow>) => onChange(steps.map((s) => (s.uid === uid ? { ...s, ...patch } : s)));

  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-medium text-slate-800">Runbook</legend>
      <p className="text-xs text-slate-500">
        The core steps keep their order (the form says why when a move would break it); add steps around them. Approvers sign off on every step and its settings.
      </p>
      {errors.steps && <p className="text-xs font-medium text-red-700">Steps {errors.steps}</p>}
      <p role="status" aria-live="polite" className={refusal ? "rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" : "sr-only"} data-testid="step-refusal">
        {refusal ?? ""}
      </p>
      <ol ref={listRef} className="space-y-2" aria-label="Runbook steps">
        {steps.map((s, i) => (
          <StepItem
            key={s.uid}
            step={s}
            index={i}
            count={steps.length}
            errors={errors}
            idPrefix={`${id}-${s.uid}`}
            onParams={(params) => setStep(s.uid, { params })}
            onKey={(key) => setStep(s.uid, { key })}
            onMove={(by) => apply(moveStep(steps, i, by), `${s.uid}:${by < 0 ? "up" : "down"}`)}
            onRemove={() => apply(removeStep(steps, i), "add-step")}
          />
        ))}
      </ol>
      {kinds.length > 0 && (
        <div className="flex flex-wrap items-end gap-2">
          <div>
            <label htmlFor={`${id}-add-kind`} className="block text-xs font-medium">
              Step kind to add
            </label>
            <select id={`${id}-add-kind`} className={inputClass} value={adding} onChange={(e) => setAdding(e.target.value)}>
              {kinds.map((k) => (
                <option key={k.kind} value={k.kind}>
                  {k.title}
                </option>
              ))}
            </select>
          </div>
          <Button
            data-focus-id="add-step"
            onClick={() => {
              const result = addStep(steps, adding, withUid);
              apply(result, result.steps ? `${result.steps[result.index!]!.uid}:first` : null);
            }}
          >
            Add step
          </Button>
        </div>
      )}
    </fieldset>
  );
}

function StepItem(props: {
  step: StepRow;
  index: number;
  count: number;
  errors: Record<string, string>;
  idPrefix: string;
  onParams(params: Record<string, unknown>): void;
  onKey(key: string): void;
  onMove(by: -1 | 1): void;
  onRemove(): void;
}) {
  const { step, index, errors, idPrefix } = props;
  const core = isCoreStep(step);
  const spec = stepKind(step.kind);
  const at = `steps.${index}`;
  const fields = paramFields(step.kind, core ? step.key : undefined).filter((f) => !f.fixed);
  const stepError = errors[at];
  return (
    <li
      className={`rounded-md border p-3 ${stepError ? "border-red-300" : core ? "border-slate-200 bg-slate-50" : "border-sky-300 bg-white"}`}
      data-testid="runbook-step"
      data-step={step.key}
      data-path={at}
      tabIndex={-1}
      aria-label={`Step ${index + 1}: ${step.key}`}
    >
      <div className="flex flex-wrap items-center gap-2">
        <span className="tabular-nums text-xs text-slate-400">{index + 1}</span>
        <span className="text-sm font-medium">{spec.title}</span>
        {core ? (
          <code className="text-xs text-slate-600" title="Core steps keep their key and place in the order">
            {step.key} · core
          </code>
        ) : (
          <KeyInput value={step.key} onChange={props.onKey} error={errors[`${at}.key`]} id={`${idPrefix}-key`} name={`${at}.key`} focusId={`${step.uid}:first`} />
        )}
        <span className="ml-auto flex gap-1">
          <Button aria-label={`Move ${step.key} up`} data-focus-id={`${step.uid}:up`} disabled={index === 0} onClick={() => props.onMove(-1)}>
            ↑
          </Button>
          <Button aria-label={`Move ${step.key} down`} data-focus-id={`${step.uid}:down`} disabled={index === props.count - 1} onClick={() => props.onMove(1)}>
            ↓
          </Button>
          {!core && (
            <Button aria-label={`Remove ${step.key}`} onClick={props.onRemove}>
              Remove
            </Button>
          )}
        </span>
      </div>
      {stepError && <p className="mt-1 text-xs font-medium text-red-700">{stepError}</p>}
      {fields.length > 0 && (
        <div className="mt-2 grid gap-2">
          {fields.map((f) => (
            <ParamInput key={f.name} field={f} value={step.params[f.name]} error={errors[`${at}.params.${f.name}`]} id={`${idPrefix}-${f.name}`} name={`${at}.params.${f.name}`} onChange={(v) => props.onParams(withParam(step.params, f.name, v))} />
          ))}
        </div>
      )}
    </li>
  );
}

const withParam = (params: Record<string, unknown>, name: string, value: unknown) => {
  const next = { ...params, [name]: value };
  if (value === undefined) delete next[name];
  return next;
};

function KeyInput({ value, onChange, error, id, name, focusId }: { value: string; onChange(v: string): void; error?: string; id: string; name: string; focusId: string }) {
  return (
    <span className="flex items-center gap-1">
      <label htmlFor={id} className="text-xs text-slate-600">
        key
      </label>
      <input
        id={id}
        name={name}
        data-focus-id={focusId}
        value={value}
        spellCheck={false}
        autoComplete="off"
        className={`${inputClass} !mt-0 w-40 font-mono text-xs`}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {error && (
        <span id={`${id}-error`} className="text-xs font-medium text-red-700">
          Key {error}
        </span>
      )}
    </span>
  );
}

function ParamInput({ field, value, error, id, name, onChange }: { field: ParamField; value: unknown; error?: string; id: string; name: string; onChange(v: unknown): void }) {
  const described = error ? `${id}-error` : field.description ? `${id}-hint` : undefined;
  const common = { id, name, "aria-invalid": error ? true : undefined, "aria-describedby": described } as const;
  const control =
    field.input === "checkbox" ? (
      <input {...common} type="checkbox" checked={Boolean(value)} onChange={(e) => onChange(paramValue(field, e.target.checked))} />
    ) : field.input === "select" ? (
      <select {...common} className={inputClass} value={value === undefined ? "" : String(value)} onChange={(e) => onChange(paramValue(field, e.target.value))}>
        <option value="">(default)</option>
        {field.options?.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    ) : field.input === "textarea" ? (
      <textarea {...common} rows={6} spellCheck={false} className={`${inputClass} font-mono text-xs`} value={String(value ?? "")} onChange={(e) => onChange(paramValue(field, e.target.value))} />
    ) : (
      <input {...common} spellCheck={false} autoComplete="off" className={inputClass} value={value === undefined ? "" : String(value)} onChange={(e) => onChange(paramValue(field, e.target.value))} />
    );
  return (
    <div className={field.input === "checkbox" ? "flex items-center gap-2" : ""}>
      {field.input === "checkbox" && control}
      <label htmlFor={id} className="text-xs font-medium">
        {field.title}
      </label>
      {field.input !== "checkbox" && control}
      {field.description && !error && (
        <span id={`${id}-hint`} className="block text-xs text-slate-500">
          {field.description}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="block text-xs font-medium text-red-700">
          {field.title} {error}
        </span>
      )}
    </div>
  );
}
