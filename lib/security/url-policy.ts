// Where a smoke check may send a request. The worker runs inside the team's network: a smoke URL
// must not become a way to read internal services or a cloud metadata endpoint (SSRF).
// Pure classification here; the plan schema checks literal hosts, the smoke step resolved ones.
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";

export type AddressClass = "public" | "unspecified" | "loopback" | "private" | "carrier_nat" | "link_local" | "unique_local" | "multicast" | "reserved";

const REASONS: Record<Exclude<AddressClass, "public">, string> = {
  unspecified: "an unspecified address",
  loopback: "a loopback address",
  private: "a private network address",
  carrier_nat: "a carrier-grade NAT address",
  link_local: "a link-local address (cloud metadata lives here)",
  unique_local: "a unique-local IPv6 address",
  multicast: "a multicast address",
  reserved: "a reserved address",
};

// [first address, prefix length, class]; the first match wins.
const V4_RANGES: Array<[string, number, AddressClass]> = [
  ["0.0.0.0", 8, "unspecified"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "carrier_nat"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link_local"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "reserved"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "reserved"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"],
];

const v4ToInt = (ip: string) => ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);
const intToV4 = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");

function classifyV4(ip: string): AddressClass {
  const n = v4ToInt(ip);
  for (const [base, bits, kind] of V4_RANGES) {
    const size = 2 ** (32 - bits);
    if (Math.floor(n / size) === Math.floor(v4ToInt(base) / size)) return kind;
  }
  return "public";
}

/** The eight 16-bit groups of an IPv6 address (an embedded dotted IPv4 tail included). */
function v6Groups(ip: string): number[] {
  let text = ip.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = v4ToInt(dotted[1]!);
    text = `${text.slice(0, -dotted[1]!.length)}${Math.floor(n / 65536).toString(16)}:${(n % 65536).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const parse = (part: string) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  return [...front, ...Array(8 - front.length - back.length).fill(0), ...back];
}

function classifyV6(ip: string): AddressClass {
  const g = v6Groups(ip.split("%")[0]!);
  const v4At = (hi: number, lo: number) => intToV4(g[hi]! * 65536 + g[lo]!);
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 8)) return "unspecified";
  if (zeros(0, 7) && g[7] === 1) return "loopback";
  // IPv4 in disguise: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::), 6to4 (2002::).
  if (zeros(0, 5) && (g[5] === 0xffff || g[5] === 0)) return classifyV4(v4At(6, 7));
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return classifyV4(v4At(6, 7));
  if (g[0] === 0x2002) return classifyV4(v4At(1, 2));
  if ((g[0]! & 0xfe00) === 0xfc00) return "unique_local";
  if ((g[0]! & 0xffc0) === 0xfe80) return "link_local";
  if ((g[0]! & 0xffc0) === 0xfec0) return "private"; // site-local, deprecated but still routed inside some networks
  if ((g[0]! & 0xff00) === 0xff00) return "multicast";
  return "public";
}

/** What kind of address an IP literal is ("public" for anything routable on the internet). */
export function classifyAddress(ip: string): AddressClass {
  const bare = ip.replace(/^\[|\]$/g, "");
  const family = isIP(bare.split("%")[0]!);
  if (family === 4) return classifyV4(bare);
  if (family === 6) return classifyV6(bare);
  throw new Error(`not an IP address: ${ip.slice(0, 100)}`);
}

/** Why an IP address is internal, or null for a public one. */
export function internalAddressReason(ip: string): string | null {
  const kind = classifyAddress(ip);
  return kind === "public" ? null : REASONS[kind];
}

// RFC 6761: these names always mean this machine, whatever a resolver says.
const LOOPBACK_NAMES = /^(localhost|[^/]*\.localhost|ip6-localhost|ip6-loopback)\.?$/i;

/**
 * What can be known without DNS: the URL's host is an internal IP literal or a loopback name.
 * Null when the host is public or a name (names are resolved when the request is made).
 */
export function literalHostProblem(url: string): string | null {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  } catch {
    return null; // not a URL: the schema's own URL check says so
  }
  if (LOOPBACK_NAMES.test(host)) return `${host} is ${REASONS.loopback}`;
  if (!isIP(host)) return null;
  const reason = internalAddressReason(host);
  return reason && `${host} is ${reason}`;
}

const ONLY_PUBLIC = "smoke checks may only call public addresses unless the worker sets SMOKE_ALLOW_PRIVATE_URLS=true";

type Lookup = (host: string) => Promise<string[]>;
const systemLookup: Lookup = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Refuses a URL whose host is, or resolves to, an internal address. Checked when the request is
 * made (and for each redirect), because what a name resolves to can change after planning.
 */
export async function assertPublicUrl(url: string, resolve: Lookup = systemLookup): Promise<void> {
  const literal = literalHostProblem(url);
  if (literal) throw new Error(`${literal}; ${ONLY_PUBLIC}`);
  const { host, hostname } = new URL(url);
  if (isIP(hostname.replace(/^\[|\]$/g, ""))) return;
  const addresses = await resolve(hostname.replace(/\.$/, ""));
  for (const address of addresses) {
    const reason = internalAddressReason(address);
    if (reason) throw new Error(`${host} resolves to ${address}, ${reason}; ${ONLY_PUBLIC}`);
  }
}
