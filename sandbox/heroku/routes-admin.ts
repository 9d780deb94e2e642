// Test/rehearsal controls on the same port, behind the same token: fault rules, reset, a
// state dump and seeding over HTTP. Faults never apply to these paths.
import type { FaultInjector } from "./faults";
import { FaultRules } from "./faults";
import { type Route, json, parseBody, route } from "./http";
import { SeedApp } from "./seed";
import type { EmulatorState } from "./state";

export const ADMIN_PREFIX = "/__admin/";

export interface AdminControls {
  faults: FaultInjector;
  state(): EmulatorState;
  reset(): void;
  seed(app: SeedApp): void;
}

export function adminRoutes(admin: AdminControls): Route[] {
  return [
    route("PUT", "/__admin/faults", (req) => {
      admin.faults.set(parseBody(FaultRules, req.body ?? []));
      return json(200, admin.faults.rules());
    }),
    route("GET", "/__admin/faults", () => json(200, admin.faults.rules())),
    route("DELETE", "/__admin/faults", () => {
      admin.faults.set([]);
      return json(200, []);
    }),
    route("POST", "/__admin/reset", () => {
      admin.reset();
      return json(200, {});
    }),
    route("GET", "/__admin/state", () => json(200, admin.state())),
    route("POST", "/__admin/seed", (req) => {
      admin.seed(parseBody(SeedApp, req.body));
      return json(201, {});
    }),
  ];
}
