import type { Workload, WorkloadVolume } from "../../model";
/** Host path comparison shared by the host-mount rules. */

/** `/var/run//docker.sock/` → `/var/run/docker.sock`; relative paths are kept as written. */
export function normalizeHostPath(raw: string): string {
  const collapsed = raw.trim().replace(/\/+/g, "/");
  return collapsed.length > 1 ? collapsed.replace(/\/$/, "") : collapsed;
}

/** True when `path` is `dir` itself or lies below it. */
export function isAtOrBelow(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir === "/" ? "/" : `${dir}/`);
}

/** The host-path volumes of a workload whose normalized path `matches`, with their model paths. */
export function hostPathVolumesWhere(
  w: Workload,
  matches: (normalizedPath: string) => boolean,
): { volume: WorkloadVolume; modelPath: string }[] {
  return w.volumes.flatMap((volume, i) =>
    volume.type === "hostPath" && volume.hostPath !== undefined && matches(normalizeHostPath(volume.hostPath))
      ? [{ volume, modelPath: `volumes.${i}.hostPath` }]
      : [],
  );
}
