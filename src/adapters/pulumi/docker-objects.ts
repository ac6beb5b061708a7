import type { Network, Origin, Volume } from "../../model";
import { arr, bool, type Obj, obj, str, strMap } from "../kubernetes/values";
import { suppressionsFromKeys } from "../suppressions";

export const DOCKER_NETWORK_TYPE = "docker:index/network:Network";
export const DOCKER_VOLUME_TYPE = "docker:index/volume:Volume";

function labelList(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of arr(v)) {
    const k = str(obj(l)?.label);
    if (k !== undefined) out[k] = str(obj(l)?.value) ?? "";
  }
  return out;
}

export function dockerNetwork(props: Obj, name: string, origin: Origin): Network {
  const labels = labelList(props.labels);
  const options = strMap(props.options);
  const n: Network = {
    kind: "network",
    name: str(props.name) ?? name,
    labels,
    annotations: {},
    origin,
    suppressions: suppressionsFromKeys(labels, "label", "labels"),
  };
  const driver = str(props.driver);
  if (driver !== undefined) n.driver = driver;
  const internal = bool(props.internal);
  if (internal !== undefined) n.internal = internal;
  const icc = options["com.docker.network.bridge.enable_icc"];
  if (icc !== undefined) n.icc = icc === "true";
  return n;
}

export function dockerVolume(props: Obj, name: string, origin: Origin): Volume {
  const labels = labelList(props.labels);
  const v: Volume = {
    kind: "volume",
    name: str(props.name) ?? name,
    labels,
    annotations: {},
    origin,
    suppressions: suppressionsFromKeys(labels, "label", "labels"),
    driverOpts: strMap(props.driverOpts),
  };
  const driver = str(props.driver);
  if (driver !== undefined) v.driver = driver;
  return v;
}
