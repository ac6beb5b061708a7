/**
 * `shipshape graph <topology> --out <base>`: the topology of a SegmentedNetworks (its stack's
 * `topology` output) as a picture, laid out by Graphviz: `<base>.svg` and `<base>.png`. The work
 * loads when it runs and is asynchronous: its promise goes to `pending`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { type CliIo, EXIT_CLEAN, EXIT_INPUT, UsageError } from "../io";
import type { PendingActions } from "./secrets";

export function registerGraph(program: Command, io: CliIo, pending?: PendingActions): void {
  program
    .command("graph")
    .description(
      "Draw a SegmentedNetworks' tiers, services, allowed edges and ports as SVG and PNG (Graphviz).",
    )
    .argument(
      "<topology>",
      "the stack's topology output as JSON (pulumi stack output <name> --json > topology.json; - for standard input)",
    )
    .requiredOption("--out <base>", "write <base>.svg and <base>.png (and <base>.dot)")
    .action((source: string, flags: { out: string }) => {
      if (!pending)
        throw new UsageError("shipshape graph runs asynchronously; call it through the shipshape command");
      let text: string;
      try {
        text = readFileSync(source === "-" ? 0 : source, "utf8");
      } catch (e) {
        throw new UsageError(`cannot read the topology ${source} (${(e as Error).message})`);
      }
      pending.push(
        (async () => {
          const { parseTopology, TopologyError } = await import("../../netcheck/discover");
          const { renderDot, topologyDot } = await import("../../graph/dot");
          try {
            const dot = topologyDot(parseTopology(text));
            const [svg, png] = await Promise.all([renderDot(dot, "svg"), renderDot(dot, "png")]);
            writeFileSync(`${flags.out}.dot`, dot);
            writeFileSync(`${flags.out}.svg`, svg);
            writeFileSync(`${flags.out}.png`, png);
            io.stdout(`wrote ${flags.out}.svg, ${flags.out}.png and ${flags.out}.dot\n`);
            return EXIT_CLEAN;
          } catch (e) {
            if (e instanceof TopologyError || e instanceof Error) {
              io.stderr(`error: ${e.message}\n`);
              return EXIT_INPUT;
            }
            throw e;
          }
        })(),
      );
    });
}
