import * as pulumi from "@pulumi/pulumi";
import type { EncryptedVolumeArgs } from "./args";
import { createVolumeResources } from "./resources";
import { buildVolumeSpec } from "./spec";

/**
 * A volume a SecureService mounts (`volumes: [{ volume: vol.volumeRef, mountPath }]`):
 * ephemeral (a size-limited `noexec,nosuid,nodev` tmpfs / emptyDir in memory, gone with the
 * container) or encrypted at rest (gocryptfs on the Docker host, its key a Pulumi secret; a
 * claim on an encrypted storage class on Kubernetes). Owned by the service's user. `destroy`
 * unmounts and removes what it created, after a backup when `backupOnDestroy` says so.
 */
export class EncryptedVolume extends pulumi.ComponentResource {
  /** What a SecureService's `volumes[].volume` takes: a JSON string naming the volume. */
  readonly volumeRef: pulumi.Output<string>;
  /** `ephemeral` or `encrypted`. */
  readonly kind: pulumi.Output<string>;
  /** The Docker volume's or the claim's name (ephemeral: the name the mount is known by). */
  readonly volumeName: pulumi.Output<string>;
  /** Docker encrypted: the host directory of the ciphertext (all that is on disk). */
  readonly hostCipherDirectory: pulumi.Output<string | undefined>;
  /** Docker encrypted: the host directory the plaintext view is mounted on while in use. */
  readonly hostMountPoint: pulumi.Output<string | undefined>;

  constructor(name: string, args: EncryptedVolumeArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before anything is registered, the component itself included.
    const spec = buildVolumeSpec(name, args);
    const { key: _key, ...recorded } = args;
    super("shipshape:index:EncryptedVolume", name, recorded, opts);
    const created = createVolumeResources(spec, args.key, this);
    this.volumeRef = created.volumeRef;
    this.kind = pulumi.output(spec.kind);
    this.volumeName = created.volumeName;
    this.hostCipherDirectory = created.hostCipherDirectory;
    this.hostMountPoint = created.hostMountPoint;
    this.registerOutputs({
      volumeRef: this.volumeRef,
      kind: this.kind,
      volumeName: this.volumeName,
      hostCipherDirectory: this.hostCipherDirectory,
      hostMountPoint: this.hostMountPoint,
    });
  }
}
