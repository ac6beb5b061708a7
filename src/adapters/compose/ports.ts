import type { PortBinding } from "../../model";

function range(s: string): [number, number] | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(s.trim());
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  return end >= start ? [start, end] : undefined;
}

/**
 * Reads Docker's port syntax `[HOST_IP:][HOST_PORT[-END]:]CONTAINER_PORT[-END][/PROTOCOL]`
 * (IPv6 host addresses in brackets) into one binding per container port. A binding without a
 * host port is published on a port Docker picks when it comes from `ports`; that is for the
 * caller to say. Unparsable specs (interpolated variables) give no binding.
 */
export function parsePortSpec(spec: string): PortBinding[] {
  let rest = spec.trim();
  let protocol: string | undefined;
  const slash = rest.lastIndexOf("/");
  if (slash >= 0) {
    protocol = rest.slice(slash + 1);
    rest = rest.slice(0, slash);
  }
  let hostIP: string | undefined;
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close < 0) return [];
    hostIP = rest.slice(1, close);
    rest = rest.slice(close + 1).replace(/^:/, "");
  }
  const parts = rest.split(":");
  let host: string | undefined;
  let container: string;
  if (parts.length === 1) container = parts[0] ?? "";
  else if (parts.length === 2 && hostIP !== undefined) [host, container = ""] = parts;
  else if (parts.length === 2) [host, container = ""] = parts;
  else if (parts.length === 3) {
    hostIP = parts[0];
    [, host, container = ""] = parts;
  } else return [];
  const containerPorts = range(container);
  if (!containerPorts) return [];
  const hostPorts = host === undefined || host === "" ? undefined : range(host);
  if (host !== undefined && host !== "" && !hostPorts) return [];
  const out: PortBinding[] = [];
  for (let p = containerPorts[0]; p <= containerPorts[1]; p++) {
    const binding: PortBinding = { containerPort: p };
    if (protocol) binding.protocol = protocol;
    if (hostPorts) {
      const offset = p - containerPorts[0];
      // A host range for one container port: Docker picks one of them; the first stands for it.
      binding.hostPort = hostPorts[0] + (hostPorts[1] - hostPorts[0] >= offset ? offset : 0);
    }
    if (hostIP !== undefined && hostIP !== "") binding.hostIP = hostIP;
    out.push(binding);
  }
  return out;
}
