/**
 * SegmentedNetworks mTLS through the real Pulumi CLI on the real Docker engine, proven with real
 * TLS: Debian's openssl runs on the host inside the services' network namespaces (nsenter), with
 * the key, certificate and CA files the services have mounted (read through /proc/<pid>/root).
 * The CA-signed client connects (its name checked against the server's SANs); without a
 * certificate, or with one from another CA, the handshake fails. No private key is plaintext in
 * the state. A certificate within earlyRenewalHours of its end is replaced by the next `up`, and
 * one that is not stays. Needs root (nsenter) and openssl; everything is named ss17-….
 */
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../cli/helpers";
import { docker, PulumiWorkspace, REPO, requireToolchain, skipPulumi } from "./pulumi-cli";

const run = promisify(execFile);
const PROJECT = "ss17-mtls";
const STACK = "e2e";
const IMAGE = "ss17-net/app:1";
const PORT = 9443;

interface Tls {
  code: number;
  out: string;
}

/** `openssl s_client` from the client's namespace, sending one HTTP request; never throws. */
async function connect(clientPid: string, address: string, extra: string[]): Promise<Tls> {
  return new Promise((resolve) => {
    const child = spawn("nsenter", [
      `--net=/proc/${clientPid}/ns/net`,
      "openssl",
      "s_client",
      "-connect",
      `${address}:${PORT}`,
      "-servername",
      "server",
      "-verify_hostname",
      "server",
      "-verify_return_error",
      "-ign_eof",
      ...extra,
    ]);
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    const timer = setTimeout(() => child.kill(), 15_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, out });
    });
    child.stdin.end("GET / HTTP/1.0\r\n\r\n");
  });
}

describe.skipIf(skipPulumi)("SegmentedNetworks mTLS (real CLI, real TLS)", () => {
  const prefix = `ss17-${randomBytes(3).toString("hex")}`;
  let ws: PulumiWorkspace;
  let dir: string;
  let deployed = false;
  let server: ReturnType<typeof spawn> | undefined;
  const stack = (args: string[], timeout?: number) => ws.pulumiOk([...args, "--stack", STACK], dir, timeout);
  const pidOf = (container: string) => docker(["inspect", "--format", "{{.State.Pid}}", container]);
  const secretFile = async (service: string, file: string) =>
    join("/proc", await pidOf(`${prefix}-${service}`), "root", "run", "secrets", file);
  const serial = async (service: string) =>
    (
      await run("openssl", ["x509", "-noout", "-serial", "-in", await secretFile(service, "tls.crt")])
    ).stdout.trim();

  beforeAll(async () => {
    if (process.getuid?.() !== 0)
      throw new Error("the mTLS test enters the containers' namespaces with nsenter: run it as root");
    await run("openssl", ["version"]).catch(() => {
      throw new Error("openssl missing: install Debian's openssl (scripts/setup.sh does)");
    });
    await requireToolchain();
    // The programs load the package as a user's do, from dist/: built fresh from src first.
    await ensureBuilt();
    await run("bash", [join(REPO, "stacks/docker/build-image.sh"), IMAGE]);
    ws = new PulumiWorkspace("ss17-mtls");
    dir = ws.stage(PROJECT, join(REPO, "test/e2e/programs/mtls.ts"));
    await ws.pulumiOk(["stack", "init", STACK], dir);
    for (const [k, v] of Object.entries({
      prefix,
      image: IMAGE,
      validityHours: "720",
      earlyRenewalHours: "1",
    }))
      await ws.pulumiOk(["config", "set", "--stack", STACK, k, v], dir);
  }, 300_000);

  afterAll(async () => {
    server?.kill();
    if (!ws) return;
    try {
      if (deployed) await ws.pulumi(["destroy", "--yes", "--skip-preview", "--stack", STACK], dir, 300_000);
    } finally {
      const mine = (out: string) => out.split("\n").filter((n) => n.startsWith(prefix));
      const containers = mine(await docker(["ps", "--all", "--format", "{{.Names}}"]).catch(() => ""));
      if (containers.length) await docker(["rm", "--force", ...containers]).catch(() => "");
      const nets = mine(await docker(["network", "ls", "--format", "{{.Name}}"]).catch(() => ""));
      if (nets.length) await docker(["network", "rm", ...nets]).catch(() => "");
      const vols = mine(await docker(["volume", "ls", "--format", "{{.Name}}"]).catch(() => ""));
      if (vols.length) await docker(["volume", "rm", "--force", ...vols]).catch(() => "");
      ws.dispose();
    }
  }, 300_000);

  it("up issues the certificates; no private key is plaintext in the state", async () => {
    deployed = true;
    await stack(["up", "--yes", "--skip-preview"], 400_000);
    const state = ws.stateFile(PROJECT, STACK);
    expect(state).not.toContain("PRIVATE KEY");
    expect(state).toContain("BEGIN CERTIFICATE");
    const sans = (
      await run("openssl", [
        "x509",
        "-noout",
        "-ext",
        "subjectAltName",
        "-in",
        await secretFile("server", "tls.crt"),
      ])
    ).stdout;
    expect(sans).toContain("DNS:server");
    expect(sans).toContain(`DNS:${prefix}-server`);
  }, 500_000);

  it("a client with the CA-signed certificate connects; without one, or from another CA, the handshake fails", async () => {
    const serverPid = await pidOf(`${prefix}-server`);
    const root = `/proc/${serverPid}/root/run/secrets`;
    server = spawn("nsenter", [
      `--net=/proc/${serverPid}/ns/net`,
      "openssl",
      "s_server",
      "-accept",
      String(PORT),
      "-cert",
      `${root}/tls.crt`,
      "-key",
      `${root}/tls.key`,
      "-CAfile",
      `${root}/ca.crt`,
      "-Verify",
      "1",
      "-verify_return_error",
      "-www",
    ]);
    server.stdout?.resume();
    server.stderr?.resume();
    await new Promise((r) => setTimeout(r, 1500));
    const address = await docker([
      "inspect",
      "--format",
      `{{(index .NetworkSettings.Networks "${prefix}-edge-client.server").IPAddress}}`,
      `${prefix}-server`,
    ]);
    const clientPid = await pidOf(`${prefix}-client`);
    const mine = `/proc/${clientPid}/root/run/secrets`;
    const ok = await connect(clientPid, address, [
      "-cert",
      `${mine}/tls.crt`,
      "-key",
      `${mine}/tls.key`,
      "-CAfile",
      `${mine}/ca.crt`,
    ]);
    expect(ok.out).toContain("HTTP/1.0 200 ok");
    expect(ok.out).toMatch(/Verify return code: 0 \(ok\)/);

    const none = await connect(clientPid, address, ["-CAfile", `${mine}/ca.crt`]);
    expect(none.out).not.toContain("HTTP/1.0 200 ok");
    expect(none.out).toMatch(/alert|error/i);

    // A certificate for "client" from a CA of its own.
    const other = join(ws.dir, "other");
    await run("openssl", [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=client",
      "-keyout",
      `${other}.key`,
      "-out",
      `${other}.crt`,
    ]);
    const foreign = await connect(clientPid, address, [
      "-cert",
      `${other}.crt`,
      "-key",
      `${other}.key`,
      "-CAfile",
      `${mine}/ca.crt`,
    ]);
    expect(foreign.out).not.toContain("HTTP/1.0 200 ok");
    expect(foreign.out).toMatch(/alert|error/i);
    // And the client refuses a server its CA did not sign.
    const distrust = await connect(clientPid, address, [
      "-cert",
      `${mine}/tls.crt`,
      "-key",
      `${mine}/tls.key`,
      "-CAfile",
      `${other}.crt`,
    ]);
    expect(distrust.out).not.toContain("HTTP/1.0 200 ok");
    expect(distrust.out).toMatch(/verify error|certificate verify failed/i);
    server.kill();
    server = undefined;
    expect(readFileSync(`${mine}/ca.crt`, "utf8")).toContain("BEGIN CERTIFICATE");
  }, 120_000);

  it("a certificate that is not due stays; one within earlyRenewalHours is replaced by the next up", async () => {
    const before = await serial("server");
    const again = await stack(["up", "--yes", "--skip-preview"], 300_000);
    expect(again.output).not.toMatch(/replaced|created/);
    expect(await serial("server")).toBe(before);
    // Two hours of validity, renewal from two hours before the end: due from the moment it exists.
    await ws.pulumiOk(["config", "set", "--stack", STACK, "validityHours", "2"], dir);
    await ws.pulumiOk(["config", "set", "--stack", STACK, "earlyRenewalHours", "2"], dir);
    await stack(["up", "--yes", "--skip-preview"], 400_000);
    const issued = await serial("server");
    expect(issued).not.toBe(before);
    // Nothing changed in the program: the next up renews because the certificate is due, and the
    // services mounting it get the new one.
    const renewal = await stack(["up", "--yes", "--skip-preview"], 400_000);
    expect(renewal.output).toMatch(/replaced/);
    const renewed = await serial("server");
    expect(renewed).not.toBe(issued);
    const end = (
      await run("openssl", ["x509", "-noout", "-enddate", "-in", await secretFile("server", "tls.crt")])
    ).stdout;
    expect(new Date(end.replace("notAfter=", "").trim()).getTime()).toBeGreaterThan(Date.now() + 3_000_000);
  }, 900_000);
});
