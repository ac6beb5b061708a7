/**
 * EncryptedVolumes mounted by reference (`volumes: [{ volume: vol.volumeRef, mountPath }]`). The
 * reference is an Output, so what it becomes (a tmpfs, a named volume, an emptyDir, a claim) is
 * decided when it resolves; a bad one fails the container's or Deployment's registration with
 * the field path and the fix.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PlatformKind } from "../../platform/platform";
import { VolumeKind } from "../encrypted-volume/args";
import { decodeRef, type VolumeRef } from "../encrypted-volume/ref";
import { ComponentArgsError } from "../validation/issues";
import { kubernetesMemory } from "../validation/quantities";

export interface VolumeRefSpec {
  /** Index in the args' `volumes`. */
  index: number;
  ref: pulumi.Input<string>;
  mountPath: string;
  readOnly: boolean;
}

interface Owner {
  name: string;
  uid: number;
  gid: number;
  platform: PlatformKind;
  namespace?: string;
}

function checked(owner: Owner, v: VolumeRefSpec, text: string): VolumeRef {
  const fail = (message: string, value: unknown = text) =>
    new ComponentArgsError("SecureService", owner.name, [
      { path: `volumes.${v.index}.volume`, value, message },
    ]);
  const ref = decodeRef(text);
  if (typeof ref === "string") throw fail(ref);
  if (ref.platform !== owner.platform)
    throw fail(
      `the EncryptedVolume is on ${ref.platform} and this service on ${owner.platform}; give both the same target`,
    );
  if (ref.kind === VolumeKind.Encrypted && ref.owner !== `${owner.uid}:${owner.gid}`)
    throw fail(
      `the volume is owned by ${ref.owner} and the service runs as ${owner.uid}:${owner.gid}; set the EncryptedVolume's owner to the service's user`,
    );
  if (ref.namespace !== undefined && owner.namespace !== undefined && ref.namespace !== owner.namespace)
    throw fail(
      `the claim is in namespace ${ref.namespace} and the service in ${owner.namespace}; a pod mounts claims of its own namespace only`,
    );
  return ref;
}

export interface DockerRefMount {
  type: string;
  source: string;
  target: string;
  readOnly: boolean;
}

export interface DockerRefMounts {
  mounts: DockerRefMount[];
  tmpfs: Record<string, string>;
  /** The host mount's generation of each encrypted volume, by its index in the args' `volumes`. */
  generations: Record<string, string>;
}

/** The Docker mounts of the references: named volumes (encrypted) and tmpfs (ephemeral). */
export function dockerRefMounts(
  owner: Owner,
  refs: readonly VolumeRefSpec[],
): pulumi.Output<DockerRefMounts> {
  return pulumi.all(refs.map((r) => pulumi.output(r.ref))).apply((texts) => {
    const out: DockerRefMounts = { mounts: [], tmpfs: {}, generations: {} };
    refs.forEach((v, i) => {
      const ref = checked(owner, v, texts[i] as string);
      if (ref.kind === VolumeKind.Ephemeral) {
        out.tmpfs[v.mountPath] =
          `${v.readOnly ? "ro" : "rw"},noexec,nosuid,nodev,size=${ref.sizeBytes},uid=${owner.uid},gid=${owner.gid},mode=0700`;
      } else {
        // (No volume options: @pulumi/docker 5 then sends a subpath, which engines before API 1.45 refuse.)
        out.mounts.push({ type: "volume", source: ref.name, target: v.mountPath, readOnly: v.readOnly });
        out.generations[String(v.index)] = ref.generation ?? "";
      }
    });
    return out;
  });
}

export interface KubernetesRefVolume {
  name: string;
  emptyDir?: { medium: string; sizeLimit: string };
  persistentVolumeClaim?: { claimName: string; readOnly: boolean };
}

/** The pod volumes of the references (named `ref-<index>`): emptyDir in memory, or the claim. */
export function kubernetesRefVolumes(
  owner: Owner,
  refs: readonly VolumeRefSpec[],
): pulumi.Output<KubernetesRefVolume[]> {
  return pulumi.all(refs.map((r) => pulumi.output(r.ref))).apply((texts) =>
    refs.map((v, i): KubernetesRefVolume => {
      const ref = checked(owner, v, texts[i] as string);
      return ref.kind === VolumeKind.Ephemeral
        ? {
            name: `ref-${v.index}`,
            emptyDir: { medium: "Memory", sizeLimit: kubernetesMemory(ref.sizeBytes ?? 0) },
          }
        : { name: `ref-${v.index}`, persistentVolumeClaim: { claimName: ref.name, readOnly: v.readOnly } };
    }),
  );
}
