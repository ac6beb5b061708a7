/**
 * The socket rule judges a bind by where it lands too: an engine's socket under another host name
 * (a second engine, /run/engine-x.sock) mounted where clients look for it is the same exposure.
 * And a suppression of a catalog rule that an audit left out (the live audit runs only the
 * CIS-checkable rules) is not reported as unused; an unknown rule id still is.
 */
import { describe, expect, it } from "vitest";
import { audit } from "../../../src/engine/audit";
import { liveAuditRules } from "../../../src/live/live-rules";
import { loadComposeFile } from "../../../src/sources/compose-file";

function compose(volume: string, labels: Record<string, string> = {}) {
  const text = [
    "services:",
    "  app:",
    "    image: app@sha256:" + "a".repeat(64),
    "    volumes:",
    `      - ${volume}`,
    ...(Object.keys(labels).length > 0
      ? ["    labels:", ...Object.entries(labels).map(([k, v]) => `      ${k}: "${v}"`)]
      : []),
    "",
  ].join("\n");
  const loaded = loadComposeFile("compose.yaml", text);
  expect(loaded.errors).toEqual([]);
  return loaded.resources;
}

const socketFindings = (volume: string) =>
  audit(compose(volume), { only: ["docker-socket-mount"] }).map((f) => f.message);

describe("docker-socket-mount", () => {
  it("reports a socket by its host name, and any host path mounted at a runtime socket's path", () => {
    expect(socketFindings("/var/run/docker.sock:/var/run/docker.sock:ro")).toHaveLength(1);
    const renamed = socketFindings("/run/engine-x.sock:/var/run/docker.sock:ro");
    expect(renamed).toEqual([expect.stringContaining("where the container looks for the runtime's socket")]);
    expect(socketFindings("/run/engine-x.sock:/run/containerd/containerd.sock")).toHaveLength(1);
  });

  it("leaves other host paths to the host-path rules", () => {
    expect(socketFindings("/srv/data:/data:ro")).toEqual([]);
    expect(socketFindings("/run/engine-x.sock:/tmp/engine.sock")).toEqual([]);
  });
});

describe("suppression-unused with a subset of the catalog", () => {
  const reason = "read-only socket for the exporter, on an internal network";
  const unused = (labels: Record<string, string>) =>
    audit(compose("/run/engine-x.sock:/var/run/docker.sock:ro", labels), { rules: liveAuditRules() })
      .filter((f) => f.ruleId === "suppression-unused")
      .map((f) => f.message);

  it("does not report a suppression of a catalog rule the audit did not run", () => {
    expect(
      unused({
        "shipshape.io/suppress.docker-socket-mount": reason,
        "shipshape.io/suppress.host-path-volumes": reason,
      }),
    ).toEqual([]);
  });

  it("still reports an unknown rule id, and a run rule's suppression that matched nothing", () => {
    expect(unused({ "shipshape.io/suppress.no-such-rule": reason })).toEqual([
      "suppression of no-such-rule matches no finding on this object",
    ]);
    const clean = audit(
      compose("/srv/data:/data:ro", { "shipshape.io/suppress.docker-socket-mount": reason }),
      {
        rules: liveAuditRules(),
      },
    ).filter((f) => f.ruleId === "suppression-unused");
    expect(clean.map((f) => f.message)).toEqual([
      "suppression of docker-socket-mount matches no finding on this object",
    ]);
  });
});
