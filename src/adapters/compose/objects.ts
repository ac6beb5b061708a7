import type { Network, Origin, Resource, Secret, Volume } from "../../model";
import { bool, type Obj, obj, str } from "../kubernetes/values";
import { suppressionsFromKeys } from "../suppressions";
import { toMapping } from "./extends";

const stringMap = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(toMapping(v)).map(([k, val]) => [k, val === null ? "" : String(val)]));

/** `external: true` (or the legacy `external: { name }`). */
function external(o: Obj): boolean | undefined {
  return obj(o.external) ? true : bool(o.external);
}

/** The top-level `networks`, `volumes` and `secrets` of a Compose file as model objects. */
export function mapTopLevel(
  kind: "networks" | "volumes" | "secrets",
  name: string,
  value: unknown,
  origin: Origin,
): Resource {
  const o = obj(value) ?? {};
  const labels = stringMap(o.labels);
  const meta = {
    name,
    labels,
    annotations: {},
    origin,
    suppressions: suppressionsFromKeys(labels, "label", "labels"),
  };
  const ext = external(o);
  switch (kind) {
    case "networks": {
      const opts = stringMap(o.driver_opts);
      const n: Network = { kind: "network", ...meta };
      const driver = str(o.driver);
      if (driver !== undefined) n.driver = driver;
      const internal = bool(o.internal);
      if (internal !== undefined) n.internal = internal;
      const icc = bool(opts["com.docker.network.bridge.enable_icc"]);
      if (icc !== undefined) n.icc = icc;
      if ("encrypted" in opts) n.encrypted = opts.encrypted !== "false";
      if (ext !== undefined) n.external = ext;
      return n;
    }
    case "volumes": {
      const v: Volume = { kind: "volume", ...meta, driverOpts: stringMap(o.driver_opts) };
      const driver = str(o.driver);
      if (driver !== undefined) v.driver = driver;
      if (ext !== undefined) v.external = ext;
      return v;
    }
    case "secrets": {
      const s: Secret = { kind: "secret", ...meta, keys: [name] };
      const type =
        o.file !== undefined
          ? "file"
          : o.environment !== undefined
            ? "environment"
            : ext
              ? "external"
              : undefined;
      if (type !== undefined) s.type = type;
      return s;
    }
  }
}
