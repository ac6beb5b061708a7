/** IPv4 CIDR subnets: parsing and overlap, for the checks made before anything is registered. */

export interface Cidr {
  text: string;
  base: number;
  bits: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** The subnet, or a message saying what is wrong with it and how to write it. */
export function parseCidr(text: string): Cidr | string {
  const m = CIDR.exec(text);
  if (!m) return 'must be an IPv4 subnet in CIDR notation, e.g. "10.20.0.0/24"';
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255)) return "has an octet above 255";
  if (bits < 8 || bits > 29)
    return "must have a prefix length from /8 to /29 (a /30 or smaller leaves no room for containers)";
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - bits);
  if (base % size !== 0) {
    const aligned = base - (base % size);
    return `has host bits set: write its network address, ${formatIp(aligned)}/${bits}`;
  }
  return { text, base, bits };
}

export function formatIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}

/** True when two subnets share an address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  const aEnd = a.base + 2 ** (32 - a.bits);
  const bEnd = b.base + 2 ** (32 - b.bits);
  return a.base < bEnd && b.base < aEnd;
}
