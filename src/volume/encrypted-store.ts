/**
 * EncryptedVolumes outside Pulumi: the volumes in a store directory (what `shipshape volume list`
 * shows), and attaching (mounting the plaintext view with the volume's key) or detaching one, as
 * the EncryptedVolume provider does during `pulumi up`, for an operator on the host.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { CONF_FILE, ensureMounted, isMounted, unmount, volumePaths } from "./gocryptfs";

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export interface StoredVolume {
  name: string;
  mounted: boolean;
  cipherDirectory: string;
  mountPoint: string;
  /** Owner of the plaintext view's root (the container user, shifted by userns-remap). */
  owner: string;
}

/** The encrypted volumes of a store (directories holding `cipher/gocryptfs.conf`), by name. */
export function listStoredVolumes(store: string): StoredVolume[] {
  if (!existsSync(store)) return [];
  return readdirSync(store, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(store, d.name, "cipher", CONF_FILE)))
    .map((d) => {
      const p = volumePaths(store, d.name);
      // gocryptfs keeps the view's root owner on the cipher directory, mounted or not.
      const s = statSync(p.cipherDir);
      const v: StoredVolume = {
        name: d.name,
        mounted: isMounted(p.mountPoint),
        cipherDirectory: p.cipherDir,
        mountPoint: p.mountPoint,
        owner: `${s.uid}:${s.gid}`,
      };
      return v;
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

function existing(store: string, name: string) {
  if (!NAME.test(name))
    throw new Error(
      `option '--name' ${JSON.stringify(name)} is not a volume name: letters, digits, '_', '.' and '-'`,
    );
  const paths = volumePaths(store, name);
  if (!existsSync(join(paths.cipherDir, CONF_FILE)))
    throw new Error(
      `no encrypted volume ${name} in ${store} (no ${join(paths.cipherDir, CONF_FILE)}); an EncryptedVolume creates it`,
    );
  return paths;
}

/** Mounts the plaintext view of `name` with `key`; false when it was mounted already. */
export async function attachVolume(options: {
  store: string;
  name: string;
  key: string;
  owner?: { uid: number; gid: number };
}): Promise<{ mounted: boolean; mountPoint: string }> {
  const paths = existing(options.store, options.name);
  // The owner EncryptedVolume gave the view's root (gocryptfs keeps it on the cipher directory),
  // unless another is asked for.
  const st = statSync(paths.cipherDir);
  const owner = options.owner ?? { uid: st.uid, gid: st.gid };
  const mounted = await ensureMounted({ paths, key: options.key, hostUid: owner.uid, hostGid: owner.gid });
  return { mounted, mountPoint: paths.mountPoint };
}

/** Unmounts the plaintext view of `name` (the ciphertext stays); false when it was not mounted. */
export async function detachVolume(
  store: string,
  name: string,
): Promise<{ unmounted: boolean; mountPoint: string }> {
  const paths = existing(store, name);
  if (!isMounted(paths.mountPoint)) return { unmounted: false, mountPoint: paths.mountPoint };
  await unmount(paths.mountPoint);
  return { unmounted: true, mountPoint: paths.mountPoint };
}
