/**
 * The reference a SecureService mounts an EncryptedVolume by: a JSON string, so it crosses
 * Pulumi languages as a plain string output (`vol.volumeRef`), never as a component object.
 */
import { PlatformKind } from "../../platform/platform";
import { VolumeKind } from "./args";

export const REF_FORMAT = "shipshape-volume/1";

export interface VolumeRef {
  format: typeof REF_FORMAT;
  kind: VolumeKind;
  platform: PlatformKind;
  /** Docker: the volume's name; Kubernetes: the claim's (encrypted) or the emptyDir's base name. */
  name: string;
  /** Ephemeral: the size limit in bytes, and as written. */
  sizeBytes?: number;
  size?: string;
  /** Encrypted: `uid:gid` owning the volume root (the service must run as it). */
  owner?: string;
  /** Docker encrypted: changes each time the host mounts the volume, so its users restart on it. */
  generation?: string;
  /** Kubernetes: the claim's namespace. */
  namespace?: string;
}

export function encodeRef(ref: Omit<VolumeRef, "format">): string {
  return JSON.stringify({ format: REF_FORMAT, ...ref });
}

/** The reference, or why it is not one. */
export function decodeRef(text: unknown): VolumeRef | string {
  if (typeof text !== "string")
    return "a volume reference is a string: pass an EncryptedVolume's volumeRef output";
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return "not a volume reference: pass an EncryptedVolume's volumeRef output";
  }
  const r = parsed as Partial<VolumeRef>;
  if (
    r === null ||
    typeof r !== "object" ||
    r.format !== REF_FORMAT ||
    !Object.values(VolumeKind).includes(r.kind as VolumeKind) ||
    !Object.values(PlatformKind).includes(r.platform as PlatformKind) ||
    typeof r.name !== "string"
  )
    return `not a ${REF_FORMAT} volume reference: pass an EncryptedVolume's volumeRef output`;
  return r as VolumeRef;
}
