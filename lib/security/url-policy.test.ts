import { describe, expect, it } from "vitest";
import { assertPublicUrl, internalAddressReason } from "./url-policy";

describe("smoke URL address policy", () => {
  it("names internal IPv4 and IPv6 addresses and lets public ones through", () => {
    for (const ip of ["127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0", "100.64.0.1", "::1", "::", "fd00::1", "fe80::1", "::ffff:127.0.0.1"]) {
      expect(internalAddressReason(ip), ip).not.toBeNull();
    }
    expect(internalAddressReason("169.254.169.254")).toMatch(/cloud metadata/);
    for (const ip of ["8.8.8.8", "172.32.0.1", "1.1.1.1", "2606:4700::1111"]) expect(internalAddressReason(ip), ip).toBeNull();
  });

  it("refuses URLs whose host is, or resolves to, an internal address", async () => {
    await expect(assertPublicUrl("http://169.254.169.254/latest/meta-data")).rejects.toThrow(/link-local .* SMOKE_ALLOW_PRIVATE_URLS=true/);
    await expect(assertPublicUrl("http://[::1]:8080/")).rejects.toThrow(/loopback/);
    await expect(assertPublicUrl("http://localhost:3000/health")).rejects.toThrow(/resolves to (127\.0\.0\.1|::1), a loopback address/);
    await expect(assertPublicUrl("https://93.184.216.34/")).resolves.toBeUndefined();
  });
});
