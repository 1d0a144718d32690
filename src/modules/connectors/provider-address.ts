import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

// A school admin types the OneRoster addresses; Haven then calls them from inside the operator's
// network. Unless the operator allows it (HAVEN_CONNECTOR_PRIVATE_HOSTS, for an MIS on its own network),
// an address that is or resolves to loopback, a private range, link-local (cloud metadata services
// live there) or another reserved range is refused, so a connection cannot be used to probe that
// network. Checked when the connection is saved (addresses written as such) and before every pull (names
// resolved then). A name that resolves differently between the check and the request (DNS rebinding)
// is not covered: that needs the request pinned to the checked address.
const RESERVED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  RESERVED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  RESERVED.addSubnet(network, prefix, 'ipv6');
}

/** Whether an IP address (v4, v6, or v4 mapped into v6) is one a school's connection may not reach. */
export function isReservedAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped !== undefined) {
    return RESERVED.check(mapped, 'ipv4');
  }
  const family = isIP(address);
  return family === 0 || RESERVED.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The URL's host as an address when it is written as one (brackets of an IPv6 literal removed). */
function literalHost(url: URL): string | undefined {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) === 0 ? undefined : host;
}

/** Whether the address, as written, points at a reserved address or the machine itself. */
export function writtenAsReserved(address: string): boolean {
  const url = new URL(address);
  const literal = literalHost(url);
  return literal === undefined
    ? /^localhost\.?$|\.localhost\.?$/i.test(url.hostname)
    : isReservedAddress(literal);
}

/** Whether the address, once its name is resolved, reaches only public addresses; undefined if it cannot be resolved. */
export async function resolvesToPublic(address: string): Promise<boolean | undefined> {
  const url = new URL(address);
  const literal = literalHost(url);
  if (literal !== undefined) {
    return !isReservedAddress(literal);
  }
  const found = await lookup(url.hostname, { all: true }).catch(() => undefined);
  if (found === undefined || found.length === 0) {
    return undefined;
  }
  return found.every((entry) => !isReservedAddress(entry.address));
}
