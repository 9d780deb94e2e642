import { describe, expect, it } from "vitest";
import { laggingDynos } from "./wait-for-release";

const dyno = (name: string, state: string, version: number) => ({ name, type: name.split(".")[0]!, state, release: { version } });
const formation = [{ type: "web", quantity: 2 }, { type: "worker", quantity: 0 }];

describe("laggingDynos", () => {
  it("is empty once each type has its quantity of dynos, all up on the release", () => {
    expect(laggingDynos(formation, [dyno("web.1", "up", 7), dyno("web.2", "up", 7)], 7)).toEqual([]);
  });

  it("names an old dyno still serving beside its booting replacement", () => {
    const during = [dyno("web.1", "up", 6), dyno("web.1", "starting", 7), dyno("web.2", "up", 7)];
    expect(laggingDynos(formation, during, 7)).toEqual(["web.1 (up, v6)", "web.1 (starting, v7)", "web: 1 up, the formation says 2"]);
  });

  it("waits for a scaled-away dyno to be gone, stopping or not", () => {
    const scaled = [dyno("web.1", "up", 7), dyno("web.2", "up", 7), dyno("worker.1", "down", 7)];
    expect(laggingDynos(formation, scaled, 7)).toEqual(["worker.1 (down, v7)"]);
    expect(laggingDynos(formation, [...scaled.slice(0, 2), dyno("worker.1", "up", 7)], 7)).toEqual(["worker: 1 up, the formation says 0"]);
  });

  it("ignores one-off dynos, which are never restarted", () => {
    expect(laggingDynos(formation, [dyno("web.1", "up", 7), dyno("web.2", "up", 7), dyno("run.4821", "up", 5)], 7)).toEqual([]);
  });
});
