"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { apiGet, apiSend, type ApiError } from "@/app/_lib/api-client";
import { queryKeys } from "@/app/_lib/query-keys";
import { useMe } from "@/app/_lib/use-me";
import { TextInput } from "./form-fields";
import { Alert, Button, Dialog, inputClass, LoadError } from "./ui";

interface HerokuApp {
  id: string;
  name: string;
  apiBaseUrl: string;
}
interface AppSource {
  app: { name: string; maintenance: boolean };
  addon: { name: string; plan: string };
  attachment: string;
  otherAttachments: string[];
}

/** Pick a connected Heroku app, see what its DATABASE is today, or connect another app. */
export function HerokuAppField({ value, onChange, error, locked }: { value: string; onChange: (id: string) => void; error?: string; locked: boolean }) {
  const id = useId();
  const { can } = useMe();
  const [connecting, setConnecting] = useState(false);
  const apps = useQuery({ queryKey: queryKeys.herokuApps(), queryFn: () => apiGet<{ apps: HerokuApp[] }>("/api/heroku-apps") });
  return (
    <div className="space-y-2">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        Heroku app
      </label>
      <div className="flex gap-2">
        <select
          id={id}
          name="herokuAppId"
          className={inputClass}
          value={value}
          disabled={locked}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        >
          <option value="">{apps.isPending ? "Loading apps…" : apps.data?.apps.length === 0 ? "No app connected yet" : "Choose a connected app"}</option>
          {apps.data?.apps.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} ({a.apiBaseUrl})
            </option>
          ))}
        </select>
        {can("heroku_app.manage") && !locked && (
          <Button className="mt-1 shrink-0" onClick={() => setConnecting(true)}>
            Connect a Heroku app
          </Button>
        )}
      </div>
      {apps.error && <LoadError what="the connected apps" error={apps.error} retry={() => void apps.refetch()} />}
      {!locked && !can("heroku_app.manage") && <p className="text-xs text-slate-500">Is the app missing? An admin connects Heroku apps.</p>}
      {locked && <p className="text-xs text-slate-500">A plan stays with its app; plan a new cutover to move another app.</p>}
      {error && (
        <p id={`${id}-error`} className="text-xs font-medium text-red-700">
          Heroku app {error}
        </p>
      )}
      {value && <SourceFacts herokuAppId={value} />}
      {connecting && (
        <ConnectAppDialog
          onClose={() => setConnecting(false)}
          onConnected={(app) => {
            setConnecting(false);
            onChange(app.id);
          }}
        />
      )}
    </div>
  );
}

function SourceFacts({ herokuAppId }: { herokuAppId: string }) {
  const source = useQuery({ queryKey: queryKeys.appSource(herokuAppId), queryFn: () => apiGet<AppSource>(`/api/heroku-apps/${herokuAppId}/source`), retry: false });
  if (source.isPending) return <p className="text-xs text-slate-500" role="status">Reading the app&apos;s database from Heroku…</p>;
  if (source.error) {
    return (
      <div data-testid="source-facts">
        <LoadError what="the app's database from Heroku" error={source.error} retry={() => void source.refetch()} />
      </div>
    );
  }
  const s = source.data;
  return (
    <p className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700" data-testid="source-facts">
      Source: add-on <strong>{s.addon.name}</strong> ({s.addon.plan}) attached as <strong>{s.attachment}</strong>
      {s.otherAttachments.length > 0 && <> and {s.otherAttachments.join(", ")}</>}
      {s.app.maintenance && " · maintenance mode is ON right now"}. Confirm this is the database to move.
    </p>
  );
}

function ConnectAppDialog({ onClose, onConnected }: { onClose: () => void; onConnected: (app: HerokuApp) => void }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name: "", apiBaseUrl: "https://api.heroku.com", apiToken: "" });
  const connect = useMutation({
    mutationFn: () => apiSend<HerokuApp>("POST", "/api/heroku-apps", form),
    onSuccess: async (app) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.herokuApps() });
      onConnected(app);
    },
  });
  const fields = Object.fromEntries(((connect.error as ApiError | null)?.body?.fields ?? []).map((f) => [f.path, f.message]));
  return (
    <Dialog title="Connect a Heroku app" onClose={onClose}>
      <form
        className="space-y-3"
        onSubmit={(e) => {
          // React bubbles submit through the portal to the plan form around this field.
          e.preventDefault();
          e.stopPropagation();
          connect.mutate();
        }}
      >
        <TextInput label="App name" name="name" value={form.name} onChange={(name) => setForm({ ...form, name })} error={fields.name} />
        <TextInput label="API URL" name="apiBaseUrl" value={form.apiBaseUrl} onChange={(apiBaseUrl) => setForm({ ...form, apiBaseUrl })} error={fields.apiBaseUrl} />
        <TextInput
          label="API token"
          name="apiToken"
          type="password"
          value={form.apiToken}
          onChange={(apiToken) => setForm({ ...form, apiToken })}
          error={fields.apiToken}
          hint="Stored encrypted; it is never shown again, to you or anyone."
        />
        {connect.error && !Object.keys(fields).length && <Alert>{connect.error.message}</Alert>}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={connect.isPending}>
            {connect.isPending ? "Connecting…" : "Connect"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
