// Where the guests' QR links point. The appliance builds them from PUBLIC_URL, or else from the address this
// browser used to reach it: a dashboard opened on the appliance itself (http://localhost:8000) would print cards
// that send every guest's phone to the phone's own loopback.

function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (host === "ip6-localhost" || host === "ip6-loopback") return true;
  if (/^127(?:\.\d{1,3}){3}$/.test(host)) return true;
  // "Any address": a server's listening address, never one a phone can reach it at.
  if (host === "0.0.0.0" || host === "::") return true;
  if (host === "::1") return true;
  // IPv4-mapped 127.x.x.x, which URL writes in hex (::ffff:127.0.0.1 → ::ffff:7f00:1).
  return /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host);
}

/** The host (with its port) of a guest link that guests' phones cannot open, or null when the link is fine. */
export function unreachableQrHost(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return isLoopback(parsed.hostname) ? parsed.host : null;
}
