// Where a notification may be sent. A webhook URL is chosen by whoever edits a plan, and the
// worker that sends it runs inside the team's network: like a smoke URL it must not become a way
// to reach internal services (SSRF). It also carries credentials (Slack's does), so https only.
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { classifyAddress, internalAddressReason, literalHostProblem } from "@/lib/security/url-policy";

const ALLOW_HINT = "SMOKE_ALLOW_PRIVATE_URLS=true allows internal ones, for a receiver on this machine";

const bareHost = (url: URL) => url.hostname.replace(/^\[|\]$/g, "");

function isLoopbackHost(host: string): boolean {
  if (/^(localhost|.+\.localhost)\.?$/i.test(host)) return true;
  return isIP(host) !== 0 && classifyAddress(host) === "loopback";
}

/**
 * Why a webhook URL is refused, or null: https only (http just for 127.0.0.1 or localhost, and only
 * where private addresses are allowed); no loopback, private or link-local host unless allowed.
 */
export function webhookUrlProblem(value: string, allowPrivate: boolean): string | null {
  if (value.length > 2048) return "is too long (2048 characters at most)";
  if (!URL.canParse(value)) return "must be a full URL such as https://hooks.slack.com/services/…";
  const url = new URL(value);
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must start with https://";
  if (!url.hostname) return "must name a host";
  const internal = literalHostProblem(value);
  if (internal && !allowPrivate) return `must be a public address, but ${internal} (${ALLOW_HINT})`;
  if (url.protocol === "http:" && !(allowPrivate && isLoopbackHost(bareHost(url)))) {
    return "must start with https:// (the URL is a credential; http:// is only for a receiver on 127.0.0.1 or localhost)";
  }
  return null;
}

/** The URL as it may be shown: scheme and host only (the path and query are the credential). */
export function webhookUrlDisplay(value: string): string {
  const url = new URL(value);
  return `${url.protocol}//${url.host}`;
}

type Lookup = (host: string) => Promise<string[]>;
const systemLookup: Lookup = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Checked again just before each delivery: the rules above, and (unless private addresses are
 * allowed) that the host does not resolve to an internal address now, whatever it did at planning.
 */
export async function assertDeliverable(value: string, allowPrivate: boolean, resolve: Lookup = systemLookup): Promise<void> {
  const problem = webhookUrlProblem(value, allowPrivate);
  if (problem) throw new Error(`the webhook URL ${problem}`);
  if (allowPrivate) return;
  const url = new URL(value);
  if (isIP(bareHost(url))) return;
  for (const address of await resolve(bareHost(url).replace(/\.$/, ""))) {
    const reason = internalAddressReason(address);
    if (reason) throw new Error(`${url.host} resolves to ${address}, ${reason}; notifications go only to public addresses (${ALLOW_HINT})`);
  }
}
