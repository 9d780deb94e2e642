"use client";

import { useId, type ReactNode } from "react";
import { inputClass } from "./ui";

/** A labelled control with its hint and error; the error is tied to the input for screen readers. */
export function Field({ label, hint, error, children, htmlFor }: { label: string; hint?: ReactNode; error?: string; children: ReactNode; htmlFor: string }) {
  return (
    <div>
      <label htmlFor={htmlFor} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children}
      {hint && !error && <p className="mt-1 text-xs text-slate-500">{hint}</p>}
      {error && (
        <p id={`${htmlFor}-error`} className="mt-1 text-xs font-medium text-red-700">
          {label} {error}
        </p>
      )}
    </div>
  );
}

export function TextInput(props: { label: string; value: string; onChange: (v: string) => void; error?: string; hint?: ReactNode; type?: string; name: string; placeholder?: string; autoComplete?: string; min?: number; max?: number }) {
  const id = `${useId()}-${props.name}`;
  return (
    <Field label={props.label} hint={props.hint} error={props.error} htmlFor={id}>
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        value={props.value}
        placeholder={props.placeholder}
        autoComplete={props.autoComplete ?? "off"}
        spellCheck={false}
        min={props.min}
        max={props.max}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
        onChange={(e) => props.onChange(e.target.value)}
        className={inputClass}
      />
    </Field>
  );
}
