/**
 * The reference target's own reading of X.509 extensions (RFC 5280 §4.1, §4.2), straight from the DER bytes:
 * node:crypto does not expose keyUsage, pathLenConstraint or criticality, and the reference must not borrow the
 * harness's certificate library to judge what it is sent. Plain TLV walking; any surprise throws.
 */

/** One DER element: tag byte, where its contents start and end in the buffer. */
interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly end: number;
}

function readTlv(der: Uint8Array, offset: number, limit: number): Tlv {
  if (offset + 2 > limit) throw new Error("truncated DER");
  const tag = der[offset]!;
  let length = der[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > limit) throw new Error("bad DER length");
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[start + i]!;
    start += count;
  }
  const end = start + length;
  if (end > limit) throw new Error("DER element runs past its container");
  return { tag, start, end };
}

function children(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const child = readTlv(der, at, parent.end);
    out.push(child);
    at = child.end;
  }
  return out;
}

function oidText(der: Uint8Array, tlv: Tlv): string {
  const bytes = der.subarray(tlv.start, tlv.end);
  const first = bytes[0] ?? 0;
  const arcs = [Math.min(2, Math.floor(first / 40)), first - Math.min(2, Math.floor(first / 40)) * 40];
  let value = 0;
  for (const byte of bytes.subarray(1)) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  return arcs.join(".");
}

/** An extension as the certificate carries it. */
export interface RawExtension {
  readonly oid: string;
  readonly critical: boolean;
  /** The extnValue contents (the DER of the extension's own value). */
  readonly value: Uint8Array;
}

/** The extensions of a DER certificate, in order (empty for a v1 certificate). */
export function certificateExtensions(der: Uint8Array): RawExtension[] {
  const certificate = readTlv(der, 0, der.length);
  const tbs = children(der, certificate)[0];
  if (!tbs) throw new Error("no tbsCertificate");
  const wrapper = children(der, tbs).find((element) => element.tag === 0xa3);
  if (!wrapper) return [];
  const list = children(der, wrapper)[0];
  if (!list) return [];
  return children(der, list).map((extension) => {
    const parts = children(der, extension);
    const oid = parts[0];
    const last = parts[parts.length - 1];
    if (oid?.tag !== 0x06 || last?.tag !== 0x04) throw new Error("malformed extension");
    const flag = parts.length === 3 ? parts[1] : undefined;
    const critical = flag !== undefined && flag.tag === 0x01 && der[flag.start] !== 0;
    return { oid: oidText(der, oid), critical, value: der.subarray(last.start, last.end) };
  });
}

export const OID = {
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  subjectKeyIdentifier: "2.5.29.14",
  authorityKeyIdentifier: "2.5.29.35",
  subjectAltName: "2.5.29.17",
  certificatePolicies: "2.5.29.32",
} as const;

/** Extensions whose meaning the reference understands (or may safely ignore) when marked critical. */
export const UNDERSTOOD_EXTENSIONS: ReadonlySet<string> = new Set(Object.values(OID));

/** keyUsage bits (RFC 5280 §4.2.1.3), bit 0 first. */
export const KEY_USAGE_BITS = [
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
  "encipherOnly",
  "decipherOnly",
] as const;
export type KeyUsageName = (typeof KEY_USAGE_BITS)[number];

/** The keyUsage names a BIT STRING value asserts. */
export function readKeyUsage(value: Uint8Array): Set<KeyUsageName> {
  const bits = readTlv(value, 0, value.length);
  if (bits.tag !== 0x03) throw new Error("keyUsage is not a BIT STRING");
  const bytes = value.subarray(bits.start + 1, bits.end);
  const names = new Set<KeyUsageName>();
  KEY_USAGE_BITS.forEach((name, index) => {
    const byte = bytes[index >> 3] ?? 0;
    if (byte & (0x80 >> (index & 7))) names.add(name);
  });
  return names;
}

/** basicConstraints (RFC 5280 §4.2.1.9): cA (default false) and pathLenConstraint (absent: no limit). */
export function readBasicConstraints(value: Uint8Array): { ca: boolean; pathLength?: number } {
  const sequence = readTlv(value, 0, value.length);
  let ca = false;
  let pathLength: number | undefined;
  for (const part of children(value, sequence)) {
    if (part.tag === 0x01) ca = value[part.start] !== 0;
    if (part.tag === 0x02) {
      pathLength = 0;
      for (let i = part.start; i < part.end; i++) pathLength = pathLength * 256 + value[i]!;
    }
  }
  return pathLength === undefined ? { ca } : { ca, pathLength };
}
