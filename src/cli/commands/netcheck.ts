/**
 * `shipshape netcheck`: measures on the real engine which service of a SegmentedNetworks can open
 * a TCP connection to which, compares the matrix with the declared graph and exits 1 on any
 * difference. The topology is the stack's `topology` output (`pulumi stack output topology
 * --json`); the containers are found on the engine by their `shipshape.io/segment-service` label.
 * The work loads when it runs (help stays fast) and is asynchronous: its promise goes to `pending`.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import {
  type CliIo,
  collectList,
  EXIT_CLEAN,
  EXIT_FINDINGS,
  EXIT_INPUT,
  parseSeconds,
  UsageError,
} from "../io";
import type { PendingActions } from "./secrets";

export interface NetcheckFlags {
  topology?: string;
  probeImage?: string;
  host?: string;
  timeout: number;
  format: string;
  service?: string;
  createPolicy?: boolean;
  ingress: string[];
  egress: string[];
  out?: string;
}

function readTopologyText(file: string): string {
  try {
    return readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (e) {
    throw new UsageError(`option '--topology': cannot read ${file} (${(e as Error).message})`);
  }
}

export function registerNetcheck(program: Command, io: CliIo, pending?: PendingActions): void {
  program
    .command("netcheck")
    .description(
      "Measure which service of a SegmentedNetworks can connect to which on the engine; exit 1 when it differs from the declared graph.",
    )
    .option(
      "--topology <file>",
      "the SegmentedNetworks' topology output as JSON (pulumi stack output <name> --json; - for standard input)",
    )
    .option(
      "--probe-image <image>",
      "an image with busybox sh, nc and true, run in each service's network namespace",
    )
    .option(
      "--service <name>",
      "measure only the connections from and to this service (the seed's --test-connectivity)",
    )
    .option(
      "--create-policy",
      "instead of measuring, write --service's policy (--ingress, --egress) as SegmentedNetworks edges, a JSON file a stack imports",
    )
    .option(
      "--ingress <services>",
      "with --create-policy: who may connect to --service (comma-separated; name or name:port)",
      collectList,
      [],
    )
    .option(
      "--egress <services>",
      "with --create-policy: where --service may connect to (comma-separated; name or name:port)",
      collectList,
      [],
    )
    .option(
      "-o, --out <file>",
      "with --create-policy: the file to write (default <service>-policy.json; - for standard output)",
    )
    .option("--host <address>", "the engine (unix:///…, tcp://…; default DOCKER_HOST, else the local socket)")
    .option("--timeout <seconds>", "seconds each connection attempt waits", parseSeconds, 1)
    .option("--format <format>", "text or json", "text")
    .action((flags: NetcheckFlags) => {
      if (!pending)
        throw new UsageError("shipshape netcheck runs asynchronously; call it through the shipshape command");
      if (flags.createPolicy) {
        // Loaded when it runs: `--help` stays light.
        pending.push(
          import("./netcheck-policy").then(
            (m) => m.createPolicy(flags, io),
            (e: unknown) => {
              io.stderr(`error: ${(e as Error).message}\n`);
              return EXIT_INPUT;
            },
          ),
        );
        return;
      }
      if (flags.ingress.length + flags.egress.length > 0)
        throw new UsageError("options '--ingress' and '--egress' go with --create-policy");
      if (flags.format !== "text" && flags.format !== "json")
        throw new UsageError(`option '--format': "${flags.format}" is not text or json`);
      if (flags.topology === undefined)
        throw new UsageError("required option '--topology <file>' not specified");
      if (flags.probeImage === undefined)
        throw new UsageError("required option '--probe-image <image>' not specified");
      const text = readTopologyText(flags.topology);
      const probeImage = flags.probeImage;
      pending.push(
        (async () => {
          const netcheck = await import("../../netcheck");
          let topology: import("../../components/segmented-networks/topology").NetworkTopology;
          try {
            topology = netcheck.parseTopology(text);
          } catch (e) {
            if (e instanceof netcheck.TopologyError) {
              io.stderr(`error: ${e.message}\n`);
              return EXIT_INPUT;
            }
            throw e;
          }
          if (flags.service !== undefined && !topology.services.some((x) => x.name === flags.service)) {
            io.stderr(
              `error: option '--service' ${JSON.stringify(flags.service)} is not a service of the topology; give one of ${topology.services.map((x) => x.name).join(", ")}\n`,
            );
            return EXIT_INPUT;
          }
          if (topology.platform !== "docker") {
            io.stderr("error: the topology targets Kubernetes; netcheck measures Docker engines\n");
            return EXIT_INPUT;
          }
          try {
            const containers = await netcheck.discoverContainers(topology, flags.host);
            const options: import("../../netcheck").MeasureOptions = {
              topology,
              containers,
              probeImage,
              connectTimeoutSeconds: Math.ceil(flags.timeout),
            };
            if (flags.host) options.host = flags.host;
            if (flags.service) options.service = flags.service;
            const matrix = await netcheck.measureMatrix(options);
            io.stdout(
              flags.format === "json"
                ? `${JSON.stringify({ prefix: topology.prefix, ...matrix }, null, 2)}\n`
                : `${netcheck.formatMatrix(matrix)}\n`,
            );
            return matrix.differences.length > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
          } catch (e) {
            io.stderr(`error: ${(e as Error).message}\n`);
            return EXIT_INPUT;
          }
        })(),
      );
    });
}
