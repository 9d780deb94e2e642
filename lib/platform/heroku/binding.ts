import type { HerokuClient } from "@/lib/heroku";

/** The run's Heroku client (it logs and audits every request) and the app every call is about. */
export interface HerokuBinding {
  client: HerokuClient;
  app: string;
}
