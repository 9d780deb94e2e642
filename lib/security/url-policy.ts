// Where a smoke check may send a request. The worker runs inside the team's network: a smoke URL
// must not become a way to read internal services or a cloud metadata endpoint (SSRF).
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";

const V4_PRIVATE: Array<[string, number, string]> = [
  ["0.0.0.0", 8, "an unspecified address"],
  ["10.0.0.0", 8, "a private network address"],
  ["100.64.0.0", 10, "a carrier-grade NAT address"],
  ["127.0.0.0", 8, "a loopback address"],
  ["169.254.0.0", 16, "a link-local address (cloud metadata lives here)"],
  ["172.16.0.0", 12, "a private network address"],
  ["192.168.0.0", 16, "a private network address"],
];

const v4ToInt = (ip: string) => ip.split(".").reduce((n, part) => (n << 8) + Number(part), 0) >>> 0;

/** Why an IP address is internal, or null for a public one. */
export function internalAddressReason(ip: string): string | null {
  if (isIP(ip) === 4) {
    const n = v4ToInt(ip);
    for (const [base, bits, reason] of V4_PRIVATE) {
      const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
      if ((n & mask) === (v4ToInt(base) & mask)) return reason;
    }
    return null;
  }
  const v6 = ip.toLowerCase();
  if (v6 === "::" || v6 === "::1") return v6 === "::" ? "an unspecified address" : "a loopback address";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
  if (mapped) return internalAddressReason(mapped[1]!);
  if (/^f[cd]/.test(v6)) return "a unique-local address";
  if (/^fe[89ab]/.test(v6)) return "a link-local address";
  return null;
}

/**
 * Refuses a URL whose host is, or resolves to, an internal address. Checked when the request is
 * made (and for each redirect), because what a name resolves to can change after planning.
 */
export async function assertPublicUrl(url: string): Promise<void> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  for (const address of addresses) {
    const reason = internalAddressReason(address);
    if (reason) {
      throw new Error(`${new URL(url).host} resolves to ${address}, ${reason}; smoke checks may only call public addresses unless the worker sets SMOKE_ALLOW_PRIVATE_URLS=true`);
    }
  }
}
