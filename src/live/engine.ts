import type Dockerode from "dockerode";

/** The default local engine socket. */
export const DEFAULT_SOCKET = "/var/run/docker.sock";

/** How to reach one engine, and how findings name it. */
export interface EngineAddress {
  /** The address as the user gave it (or the default), for messages. */
  raw: string;
  /** Options for dockerode. */
  options: Dockerode.DockerOptions;
  /** The local socket path, for `unix://` addresses. */
  socketPath?: string;
}

/** The engine could not be reached or did not answer: the audit has nothing to check. */
export class EngineUnreachableError extends Error {
  readonly address: string;
  /** What the connection attempt reported. */
  readonly reason: string;
  constructor(address: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `cannot reach the Docker engine at ${address}: ${reason}. ` +
        "Start dockerd (scripts/setup.sh does), or pass --host unix:///path/to/docker.sock or tcp://host:2376.",
    );
    this.name = "EngineUnreachableError";
    this.address = address;
    this.reason = reason;
  }
}

/**
 * Reads an engine address: `unix:///path`, `tcp://host:port`, `ssh://user@host`, a bare socket path,
 * or nothing (then `DOCKER_HOST`, then the default socket). TLS for `tcp://` follows Docker's client
 * convention: port 2376 or `DOCKER_TLS_VERIFY=1`, certificates from `DOCKER_CERT_PATH`.
 */
export function parseEngineAddress(host?: string, env: NodeJS.ProcessEnv = process.env): EngineAddress {
  const raw = (host ?? env.DOCKER_HOST ?? `unix://${DEFAULT_SOCKET}`).trim();
  if (raw.startsWith("/")) return { raw: `unix://${raw}`, options: { socketPath: raw }, socketPath: raw };
  if (raw.startsWith("unix://")) {
    const socketPath = raw.slice("unix://".length) || DEFAULT_SOCKET;
    return { raw, options: { socketPath }, socketPath };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(
      `--host ${JSON.stringify(raw)} is not an engine address; use unix:///var/run/docker.sock, tcp://host:2376 or ssh://user@host`,
    );
  }
  if (url.protocol === "tcp:" || url.protocol === "http:" || url.protocol === "https:") {
    const port = url.port || (url.protocol === "http:" ? "2375" : "2376");
    const tls = url.protocol === "https:" || port === "2376" || env.DOCKER_TLS_VERIFY === "1";
    const options: Dockerode.DockerOptions = { host: url.hostname, port, protocol: tls ? "https" : "http" };
    if (tls && env.DOCKER_CERT_PATH) {
      const fs = require("node:fs") as typeof import("node:fs");
      const path = require("node:path") as typeof import("node:path");
      const read = (f: string) => fs.readFileSync(path.join(env.DOCKER_CERT_PATH as string, f));
      options.ca = read("ca.pem");
      options.cert = read("cert.pem");
      options.key = read("key.pem");
    }
    return { raw, options };
  }
  if (url.protocol === "ssh:") {
    const options: Dockerode.DockerOptions = { host: url.hostname, protocol: "ssh" };
    if (url.port) options.port = url.port;
    if (url.username) options.username = url.username;
    return { raw, options };
  }
  throw new Error(
    `--host ${JSON.stringify(raw)} uses an unsupported scheme ${url.protocol}; use unix://, tcp:// or ssh://`,
  );
}

/** Connects and pings; throws `EngineUnreachableError` when the engine does not answer in time. */
export async function connectEngine(address: EngineAddress, timeoutMs = 10_000): Promise<Dockerode> {
  const Docker = require("dockerode") as typeof Dockerode;
  const client = new Docker({ ...address.options, timeout: timeoutMs });
  try {
    await client.ping();
  } catch (error) {
    throw new EngineUnreachableError(address.raw, error);
  }
  return client;
}
