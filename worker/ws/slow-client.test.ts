import { describe, expect, it } from "vitest";
import { judgeBacklog } from "./slow-client";

const policy = { maxBufferedBytes: 1000, graceMs: 2000 };

describe("judgeBacklog", () => {
  it("sends to a client within the limit and forgets that it was behind", () => {
    expect(judgeBacklog(1000, null, 5000, policy)).toEqual({ send: true, behindSince: null });
    expect(judgeBacklog(10, 3000, 5000, policy)).toEqual({ send: true, behindSince: null });
  });

  it("keeps sending to a client behind for less than the grace, remembering since when", () => {
    expect(judgeBacklog(1001, null, 5000, policy)).toEqual({ send: true, behindSince: 5000 });
    expect(judgeBacklog(3000, 5000, 6999, policy)).toEqual({ send: true, behindSince: 5000 });
  });

  it("drops a client behind for the whole grace", () => {
    expect(judgeBacklog(1001, 5000, 7000, policy)).toEqual({ send: false });
  });

  it("drops a client past four times the limit at once", () => {
    expect(judgeBacklog(4000, null, 5000, policy)).toEqual({ send: true, behindSince: 5000 });
    expect(judgeBacklog(4001, null, 5000, policy)).toEqual({ send: false });
  });
});
