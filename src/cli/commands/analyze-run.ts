/** `shipshape analyze` at work: the flags checked, the container analysed, the report written. */
import { writeFileSync } from "node:fs";
import { analyzeContainer, ContainerNotFoundError } from "../../analyze/analyze";
import { analysisJson, analysisText } from "../../analyze/format";
import { EngineUnreachableError, parseEngineAddress } from "../../live/engine";
import { severityRank } from "../../rules/rule";
import { parseDuration } from "../../watch/options";
import { type CliIo, EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT } from "../io";
import type { AnalyzeFlags } from "./analyze";

const SEVERITIES = ["low", "medium", "high", "critical"] as const;
/** The longest window: the stats stream is held open for all of it. */
const MAX_WINDOW_SECONDS = 3600;

export async function runAnalyze(flags: AnalyzeFlags, io: CliIo): Promise<number> {
  let windowSeconds: number;
  let sinceSeconds: number;
  let failOn: (typeof SEVERITIES)[number] | undefined;
  try {
    if (flags.container.trim() === "")
      throw new Error(
        "option '--container' is empty; give a container's name or id (`docker ps` lists them)",
      );
    windowSeconds = parseDuration(flags.window, "option '--window'");
    if (windowSeconds > MAX_WINDOW_SECONDS)
      throw new Error(`option '--window' ${JSON.stringify(flags.window)} is over 1h; give a shorter window`);
    sinceSeconds = parseDuration(flags.since, "option '--since'");
    if (flags.format !== "text" && flags.format !== "json")
      throw new Error(`option '--format' ${JSON.stringify(flags.format)} is not a format; give text or json`);
    if (flags.failOn !== undefined) {
      failOn = SEVERITIES.find((s) => s === flags.failOn);
      if (!failOn)
        throw new Error(
          `option '--fail-on' ${JSON.stringify(flags.failOn)} is not a severity; give one of ${SEVERITIES.join(", ")}`,
        );
    }
    parseEngineAddress(flags.host);
  } catch (e) {
    io.stderr(`error: ${(e as Error).message}\n`);
    return EXIT_INPUT;
  }
  let analysis: Awaited<ReturnType<typeof analyzeContainer>>;
  try {
    analysis = await analyzeContainer({
      container: flags.container,
      windowSeconds,
      sinceSeconds,
      ...(flags.host !== undefined ? { host: flags.host } : {}),
    });
  } catch (e) {
    if (e instanceof ContainerNotFoundError || e instanceof EngineUnreachableError) {
      io.stderr(`error: ${e.message}\n`);
      return EXIT_INPUT;
    }
    throw e;
  }
  const report = flags.format === "json" ? analysisJson(analysis) : analysisText(analysis);
  if (flags.output !== undefined) {
    try {
      writeFileSync(flags.output, report, { mode: 0o600 });
    } catch (e) {
      io.stderr(
        `error: cannot write option '--output' ${JSON.stringify(flags.output)}: ${(e as Error).message}\n`,
      );
      return EXIT_INPUT;
    }
  } else io.stdout(report);
  if (failOn && analysis.findings.some((f) => severityRank(f.severity) >= severityRank(failOn)))
    return EXIT_FINDINGS;
  return EXIT_CLEAN;
}
