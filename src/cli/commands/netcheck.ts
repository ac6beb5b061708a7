/**
 * `shipshape netcheck`: measures on the real engine which service of a SegmentedNetworks can open
 * a TCP connection to which, compares the matrix with the declared graph and exits 1 on any
 * difference. The topology is the stack's `topology` output (`pulumi stack output topology
 * --json`); the containers are found on the engine by their `shipshape.io/segment-service` label.
 * The work loads when it runs (help stays fast) and is asynchronous: its promise goes to `pending`.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { type CliIo, EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, parseSeconds, UsageError } from "../io";
import type { PendingActions } from "./secrets";

interface NetcheckFlags {
  topology: string;
  probeImage: string;
  host?: string;
  timeout: number;
  format: string;
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
    .requiredOption(
      "--topology <file>",
      "the SegmentedNetworks' topology output as JSON (pulumi stack output <name> --json; - for standard input)",
    )
    .requiredOption(
      "--probe-image <image>",
      "an image with busybox sh, nc and true, run in each service's network namespace",
    )
    .option("--host <address>", "the engine (unix:///…, tcp://…; default DOCKER_HOST, else the local socket)")
    .option("--timeout <seconds>", "seconds each connection attempt waits", parseSeconds, 1)
    .option("--format <format>", "text or json", "text")
    .action((flags: NetcheckFlags) => {
      if (!pending)
        throw new UsageError("shipshape netcheck runs asynchronously; call it through the shipshape command");
      if (flags.format !== "text" && flags.format !== "json")
        throw new UsageError(`option '--format': "${flags.format}" is not text or json`);
      const text = readTopologyText(flags.topology);
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
          if (topology.platform !== "docker") {
            io.stderr("error: the topology targets Kubernetes; netcheck measures Docker engines\n");
            return EXIT_INPUT;
          }
          try {
            const containers = await netcheck.discoverContainers(topology, flags.host);
            const options: import("../../netcheck").MeasureOptions = {
              topology,
              containers,
              probeImage: flags.probeImage,
              connectTimeoutSeconds: Math.ceil(flags.timeout),
            };
            if (flags.host) options.host = flags.host;
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
