/**
 * `shipshape graph <program-dir | topology.json> --out <base>`: the topology of a SegmentedNetworks
 * as a picture laid out by Graphviz, `<base>.svg` and `<base>.png` (and `<base>.dot`). The source is
 * a Pulumi program (run under mocks in a worker, as `shipshape render` does) or a stack's
 * `topology` output. Asynchronous (dot runs as a child process): its promise goes to `pending`.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Command, Option } from "commander";
import { type CliIo, EXIT_CLEAN, EXIT_INPUT, parseSeconds, UsageError } from "../io";
import { DEFAULT_PROGRAM_TIMEOUT_SECONDS, runProgramWorker } from "../program-worker";
import type { PendingActions } from "./secrets";

/** The graph worker: the compiled `.js` next to this file, or the `.ts` source through tsx. */
function workerCommand(): string[] {
  const js = join(__dirname, "..", "..", "graph", "worker.js");
  if (existsSync(js)) return [js];
  return ["--import", "tsx", join(__dirname, "..", "..", "graph", "worker.ts")];
}

/** The topology documents of the source: one per SegmentedNetworks of a program, or the file's one. */
function topologyTexts(source: string, timeout: number, io: CliIo): string[] | number {
  let directory = false;
  try {
    directory = source !== "-" && statSync(source).isDirectory();
  } catch (e) {
    throw new UsageError(`cannot read ${source} (${(e as Error).message})`);
  }
  if (!directory) {
    try {
      return [readFileSync(source === "-" ? 0 : source, "utf8")];
    } catch (e) {
      throw new UsageError(`cannot read the topology ${source} (${(e as Error).message})`);
    }
  }
  const result = runProgramWorker([...workerCommand(), source], source, timeout);
  if (result.stderr) io.stderr(result.stderr);
  if (result.failure) {
    io.stderr(`error: ${result.failure}\n`);
    return EXIT_INPUT;
  }
  if (result.status !== 0) return EXIT_INPUT;
  const { topologies } = JSON.parse(result.stdout) as { topologies: unknown[] };
  if (topologies.length === 0) {
    io.stderr(`error: the program in ${source} declares no SegmentedNetworks\n`);
    return EXIT_INPUT;
  }
  return topologies.map((t) => JSON.stringify(t));
}

export function registerGraph(program: Command, io: CliIo, pending?: PendingActions): void {
  program
    .command("graph")
    .description(
      "Draw a SegmentedNetworks' tiers, services, allowed edges and ports as SVG and PNG (Graphviz), from a Pulumi program or a stack's topology output.",
    )
    .argument(
      "<source>",
      "a Pulumi program's directory, or the stack's topology output as JSON (pulumi stack output <name> --json > topology.json; - for standard input)",
    )
    .requiredOption(
      "--out <base>",
      "write <base>.svg, <base>.png and <base>.dot (<base>-<prefix>.… for each of several topologies)",
    )
    .addOption(
      new Option("--timeout <seconds>", "stop a program that has not finished after this long")
        .argParser(parseSeconds)
        .default(DEFAULT_PROGRAM_TIMEOUT_SECONDS),
    )
    .action((source: string, flags: { out: string; timeout: number }) => {
      if (!pending)
        throw new UsageError("shipshape graph runs asynchronously; call it through the shipshape command");
      const texts = topologyTexts(source, flags.timeout, io);
      if (typeof texts === "number") {
        pending.push(Promise.resolve(texts));
        return;
      }
      pending.push(
        (async () => {
          const { parseTopology } = await import("../../netcheck/discover");
          const { renderDot, topologyDot } = await import("../../graph/dot");
          try {
            const topologies = texts.map(parseTopology);
            for (const t of topologies) {
              const base = topologies.length > 1 ? `${flags.out}-${t.prefix}` : flags.out;
              const dot = topologyDot(t);
              const [svg, png] = await Promise.all([renderDot(dot, "svg"), renderDot(dot, "png")]);
              writeFileSync(`${base}.dot`, dot);
              writeFileSync(`${base}.svg`, svg);
              writeFileSync(`${base}.png`, png);
              io.stdout(`wrote ${base}.svg, ${base}.png and ${base}.dot\n`);
            }
            return EXIT_CLEAN;
          } catch (e) {
            io.stderr(`error: ${(e as Error).message}\n`);
            return EXIT_INPUT;
          }
        })(),
      );
    });
}
