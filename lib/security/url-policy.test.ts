import { describe, expect, it } from "vitest";
import { assertPublicUrl, classifyAddress, internalAddressReason, literalHostProblem } from "./url-policy";

describe("smoke URL address policy", () => {
  it("classifies IPv4 ranges", () => {
    const cases: Array<[string, string]> = [
      ["127.0.0.1", "loopback"], ["127.255.0.9", "loopback"], ["10.1.2.3", "private"], ["172.16.0.1", "private"], ["172.31.255.255", "private"],
      ["192.168.1.1", "private"], ["169.254.169.254", "link_local"], ["0.0.0.0", "unspecified"], ["100.64.0.1", "carrier_nat"],
      ["224.0.0.1", "multicast"], ["255.255.255.255", "reserved"], ["198.18.0.1", "reserved"],
      ["8.8.8.8", "public"], ["172.32.0.1", "public"], ["172.15.255.255", "public"], ["1.1.1.1", "public"], ["93.184.216.34", "public"],
    ];
    for (const [ip, kind] of cases) expect(classifyAddress(ip), ip).toBe(kind);
  });

  it("classifies IPv6, including IPv4 hidden in mapped, compatible, NAT64 and 6to4 forms", () => {
    const cases: Array<[string, string]> = [
      ["::", "unspecified"], ["::1", "loopback"], ["[::1]", "loopback"], ["0:0:0:0:0:0:0:1", "loopback"],
      ["fd00::1", "unique_local"], ["fc12:3456::1", "unique_local"], ["fe80::1", "link_local"], ["fe80::1%eth0", "link_local"], ["febf::1", "link_local"],
      ["ff02::1", "multicast"], ["fec0::1", "private"],
      ["::ffff:127.0.0.1", "loopback"], ["::ffff:7f00:1", "loopback"], ["::ffff:a9fe:a9fe", "link_local"], ["::127.0.0.1", "loopback"],
      ["64:ff9b::a9fe:a9fe", "link_local"], ["2002:c0a8:0101::1", "private"],
      ["2606:4700::1111", "public"], ["2001:4860:4860::8888", "public"], ["::ffff:8.8.8.8", "public"],
    ];
    for (const [ip, kind] of cases) expect(classifyAddress(ip), ip).toBe(kind);
    expect(internalAddressReason("169.254.169.254")).toMatch(/cloud metadata/);
    expect(internalAddressReason("8.8.8.8")).toBeNull();
    expect(() => classifyAddress("not-an-ip")).toThrow(/not an IP address/);
  });

  it("finds internal hosts in URLs without DNS, whatever spelling the URL uses", () => {
    const internal = [
      "http://127.0.0.1:8080/", "http://localhost/", "http://LOCALHOST./x", "http://api.localhost/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
      "http://2130706433/", "http://0x7f.1/", "http://0177.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[fd00::1]:80/", "http://0/",
    ];
    for (const url of internal) expect(literalHostProblem(url), url).not.toBeNull();
    expect(literalHostProblem("http://2130706433/")).toBe("127.0.0.1 is a loopback address");
    for (const url of ["https://example.com/", "https://8.8.8.8/", "https://[2606:4700::1111]/", "not a url"]) expect(literalHostProblem(url), url).toBeNull();
  });

  it("refuses URLs whose host is, or resolves to, an internal address when the request is made", async () => {
    const resolver = (answers: Record<string, string[]>) => async (host: string) => answers[host] ?? [];
    const dns = resolver({ "app.example.com": ["93.184.216.34"], "rebound.example.com": ["93.184.216.34", "10.0.0.7"], "meta.example.com": ["169.254.169.254"] });
    await expect(assertPublicUrl("https://app.example.com/health", dns)).resolves.toBeUndefined();
    await expect(assertPublicUrl("https://8.8.8.8/", dns)).resolves.toBeUndefined();
    await expect(assertPublicUrl("https://rebound.example.com/", dns)).rejects.toThrow(/rebound\.example\.com resolves to 10\.0\.0\.7, a private network address; .*SMOKE_ALLOW_PRIVATE_URLS=true/);
    await expect(assertPublicUrl("http://meta.example.com/", dns)).rejects.toThrow(/link-local/);
    await expect(assertPublicUrl("http://[::1]:8080/", dns)).rejects.toThrow(/::1 is a loopback address/);
    await expect(assertPublicUrl("http://localhost:3000/health", dns)).rejects.toThrow(/localhost is a loopback address/);
  });
});
