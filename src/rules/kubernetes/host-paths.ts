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
