import type * as pulumi from "@pulumi/pulumi";
import type { DockerTargetArgs } from "../../platform/docker-target";
import type { KubernetesTargetArgs } from "../../platform/kubernetes-target";

/** What an EncryptedVolume is. */
export enum VolumeKind {
  /** Memory-backed and size-limited (`noexec,nosuid,nodev`): gone with the container (Docker tmpfs, Kubernetes emptyDir medium Memory). */
  Ephemeral = "ephemeral",
  /** Encrypted at rest: gocryptfs on the Docker host; a PersistentVolumeClaim on an encrypted storage class on Kubernetes. */
  Encrypted = "encrypted",
}

/** Where and to whom a backup is encrypted, and how many are kept. */
export interface VolumeBackupArgs {
  /** Absolute directory on the Docker host the backups are written to (created, mode 0700). */
  directory: string;
  /** age recipients (`age1…` public keys) the archive is encrypted to; their identities restore it. */
  recipients: string[];
  /**
   * Keep at most this many backups of this volume in `directory`, deleting the oldest: retention is
   * explicit, never implied.
   * @default every backup is kept
   */
  keep?: number;
}

/**
 * The args of an EncryptedVolume. Fields that decide which resources exist are plain values,
 * validated before anything is registered; the key may be an Output (a Pulumi secret, e.g. a
 * SecretStore secret or a `random.RandomPassword`'s result).
 */
export interface EncryptedVolumeArgs {
  /**
   * On a Docker host (give exactly one of `docker` and `kubernetes`). An encrypted volume is mounted
   * on the machine running `pulumi up`, which must be the engine's host.
   * @default none
   */
  docker?: DockerTargetArgs;
  /** In a Kubernetes namespace (give exactly one of `docker` and `kubernetes`). @default none */
  kubernetes?: KubernetesTargetArgs;
  /** Ephemeral (memory, size-limited) or encrypted at rest. */
  kind: VolumeKind;
  /**
   * Size: the tmpfs or emptyDir limit (ephemeral), the claim's request (Kubernetes encrypted).
   * Docker's encrypted volumes grow with the host filesystem.
   * @default "64Mi" (a small state directory; raise it for more)
   */
  size?: string;
  /**
   * Numeric `uid:gid` of the user that owns the volume's root: the SecureService's user.
   * @default "10001:10001" (SecureService's default user)
   */
  owner?: string;
  /**
   * Docker encrypted: the volume key, a Pulumi secret of at least 16 characters. It reaches
   * gocryptfs on its standard input only.
   * @default a generated 32-character random password, kept as a secret in the stack's state
   */
  key?: pulumi.Input<string>;
  /**
   * Docker encrypted: the host directory that holds every volume's ciphertext (`<store>/<name>/cipher`)
   * and its mount point (`<store>/<name>/plain`).
   * @default "/var/lib/shipshape/volumes"
   */
  storeDirectory?: string;
  /**
   * Docker encrypted: the engine's userns-remap user (e.g. "dockremap"); the owner is shifted by
   * its range in /etc/subuid and /etc/subgid, as the container's user is.
   * @default none (the engine runs containers in the host's user namespace)
   */
  userNamespaceRemap?: string;
  /**
   * Kubernetes encrypted: the storage class of the claim, one the cluster encrypts at rest (list
   * it in the `pvc-unencrypted-storage-class` rule's `encryptedStorageClasses`).
   * @default none (required for Kubernetes encrypted volumes)
   */
  storageClass?: string;
  /**
   * Docker encrypted: back the volume up (age-encrypted, checksummed) before `destroy` deletes it.
   * @default none (destroy unmounts and deletes the volume's data)
   */
  backupOnDestroy?: VolumeBackupArgs;
  /** Labels on the Docker volume or the claim. @default {} */
  labels?: Record<string, string>;
}
