import type { HerokuClient } from "@/lib/heroku";

/** The run's Heroku client (it logs and audits every request) and the app every call is about. */
export interface HerokuBinding {
  client: HerokuClient;
  app: string;
  /**
   * The same client without the run's stop signal, for the one call that must still go out after
   * a stop: stopping a one-off dyno the step started (the run's client refuses every request once
   * its signal has aborted). Default: `client`.
   */
  cleanup?: HerokuClient;
}
