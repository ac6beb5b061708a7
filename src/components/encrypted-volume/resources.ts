import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { PlatformKind } from "../../platform/platform";
import { volumePaths, wantedGeneration } from "../../volume/gocryptfs";
import { VolumeKind } from "./args";
import { EncryptedMount } from "./mount";
import { encodeRef } from "./ref";
import type { VolumeSpec } from "./spec";

/** Label tying a Docker volume or claim to its EncryptedVolume. */
export const VOLUME_LABEL = "shipshape.io/volume";

export interface VolumeResources {
  volumeRef: pulumi.Output<string>;
  volumeName: pulumi.Output<string>;
  hostCipherDirectory: pulumi.Output<string | undefined>;
  hostMountPoint: pulumi.Output<string | undefined>;
}

/** The children of an EncryptedVolume: none for ephemeral ones (the mount is the container's). */
export function createVolumeResources(
  spec: VolumeSpec,
  key: pulumi.Input<string> | undefined,
  parent: pulumi.Resource,
): VolumeResources {
  const none = pulumi.output<string | undefined>(undefined);
  const owner = `${spec.uid}:${spec.gid}`;
  const labels = { ...spec.labels, [VOLUME_LABEL]: spec.name };
  if (spec.kind === VolumeKind.Ephemeral) {
    const ref = encodeRef({
      kind: spec.kind,
      platform: spec.target.kind,
      name: spec.name,
      size: spec.size,
      sizeBytes: spec.sizeBytes,
    });
    return {
      volumeRef: pulumi.output(ref),
      volumeName: pulumi.output(spec.name),
      hostCipherDirectory: none,
      hostMountPoint: none,
    };
  }
  if (spec.target.kind === PlatformKind.Kubernetes) {
    const claim = new k8s.core.v1.PersistentVolumeClaim(
      spec.name,
      {
        metadata: { name: spec.name, namespace: spec.target.namespace, labels },
        spec: {
          accessModes: ["ReadWriteOnce"],
          storageClassName: spec.storageClass,
          resources: { requests: { storage: spec.size } },
        },
      },
      { parent },
    );
    const namespace = spec.target.namespace;
    return {
      volumeRef: claim.metadata.name.apply((claimName) =>
        encodeRef({ kind: spec.kind, platform: PlatformKind.Kubernetes, name: claimName, namespace, owner }),
      ),
      volumeName: claim.metadata.name,
      hostCipherDirectory: none,
      hostMountPoint: none,
    };
  }
  const volumeKey =
    key ?? new random.RandomPassword(`${spec.name}-key`, { length: 32, special: false }, { parent }).result;
  // Asked for by the program, which runs on the volume's host: the current mount's id while it
  // is mounted, a new one after a reboot. The reference is then known at preview (no unknown
  // mounts hiding the container's other settings from the policy pack).
  const generation = wantedGeneration(volumePaths(spec.storeDirectory, spec.name));
  const mountArgs: ConstructorParameters<typeof EncryptedMount>[1] = {
    volume: spec.name,
    storeDirectory: spec.storeDirectory,
    uid: spec.uid,
    gid: spec.gid,
    key: volumeKey,
    generation,
  };
  if (spec.userNamespaceRemap) mountArgs.userNamespaceRemap = spec.userNamespaceRemap;
  if (spec.backupOnDestroy) mountArgs.backupOnDestroy = spec.backupOnDestroy;
  const mount = new EncryptedMount(`${spec.name}-mount`, mountArgs, { parent });
  // The engine binds the mounted plaintext view as a named volume (local driver, o=bind).
  const volume = new docker.Volume(
    spec.name,
    {
      name: spec.name,
      driver: "local",
      driverOpts: { type: "none", o: "bind", device: mount.mountPoint },
      labels: Object.entries(labels).map(([label, value]) => ({ label, value })),
    },
    { parent, dependsOn: [mount] },
  );
  return {
    // Known at preview (the planned name is; a new resource's URN output is not), and carrying
    // the dependency: a service binds the volume only once it exists, never an engine-made
    // volume of the same name.
    volumeRef: volume.name.apply(() =>
      encodeRef({ kind: spec.kind, platform: PlatformKind.Docker, name: spec.name, owner, generation }),
    ),
    volumeName: volume.name,
    hostCipherDirectory: mount.cipherDir,
    hostMountPoint: mount.mountPoint,
  };
}
