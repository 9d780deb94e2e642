import type { AppPlatform } from "../types";
import type { HerokuBinding } from "./binding";
import { promoteSource } from "./promote-source";
import { readSource } from "./read-source";
import { runCommand } from "./run-command";
import { switchDatabase } from "./switch-database";
import { waitForDynosSettled } from "./wait-for-release";

/** The Heroku adapter: one app, over the run's client, which logs and audits every request. */
export function herokuPlatform(heroku: HerokuBinding): AppPlatform {
  const { client, app } = heroku;
  return {
    label: "Heroku",
    readSource: () => readSource(heroku),
    maintenance: async () => (await client.getApp(app)).maintenance,
    setMaintenance: async (on) => (await client.setMaintenance(app, on)).maintenance,
    formation: async () => (await client.getFormation(app)).map(({ type, quantity }) => ({ type, quantity })),
    scale: async (changes) => void (await client.scaleFormation(app, changes)),
    waitForDynosSettled: (options) => waitForDynosSettled(heroku, options),
    switchDatabase: (input) => switchDatabase(heroku, input),
    promoteSource: (input) => promoteSource(heroku, input),
    runCommand: (input) => runCommand(heroku, input),
  };
}
