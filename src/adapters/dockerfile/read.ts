import type * as DockerfileAst from "dockerfile-ast";
import type { From } from "dockerfile-ast";
import type { InputError } from "../../engine/finding";
import type { Build, BuildStage, Instruction, Origin, SourceLocation } from "../../model";
import { imageRefOrUnparsed } from "../../model";
import { suppressionsFromComments } from "../suppressions";

/** Every instruction BuildKit's Dockerfile frontend knows. */
const KNOWN_INSTRUCTIONS = new Set([
  "ADD",
  "ARG",
  "CMD",
  "COPY",
  "ENTRYPOINT",
  "ENV",
  "EXPOSE",
  "FROM",
  "HEALTHCHECK",
  "LABEL",
  "MAINTAINER",
  "ONBUILD",
  "RUN",
  "SHELL",
  "STOPSIGNAL",
  "USER",
  "VOLUME",
  "WORKDIR",
]);

export interface DockerfileReadResult {
  build?: Build;
  errors: InputError[];
}

interface Range {
  start: { line: number; character: number };
}

/** Duck-typed accessors: only some instruction classes of dockerfile-ast have them. */
interface MaybeFlags {
  getFlags?: () => { getName(): string; getValue(): string | null; getRange(): Range }[];
}
interface MaybeJson {
  getOpeningBracket?: () => { getRange(): Range } | null;
  getJSONStrings?: () => { getJSONValue(): string }[];
}
interface MaybeHeredocs {
  getHeredocs?: () => {
    getName(): string;
    getStartRange(): Range;
    getContentRange(): {
      start: { line: number; character: number };
      end: { line: number; character: number };
    } | null;
    getDelimiterRange(): Range | null;
  }[];
}
interface MaybeProperties {
  getProperties?: () => { getName(): string; getValue(): string | null; getRange(): Range }[];
}

/**
 * Reads a Dockerfile into a `Build`: every instruction (with the `ARG`s before the first `FROM`),
 * its flags, JSON (exec) form, heredoc bodies and `ENV`/`ARG`/`LABEL` assignments, and the
 * stages the `FROM`s start. Comment suppressions apply to the whole Dockerfile.
 *
 * dockerfile-ast parses heredocs (`RUN <<EOF`, `COPY <<-X dest`), the `escape` directive, JSON
 * and shell forms and line continuations itself; this adapter adds what Docker rejects and the
 * library tolerates (unknown instructions, instructions before `FROM`, unclosed heredocs).
 */
export function readDockerfile(file: string, text: string): DockerfileReadResult {
  // Required on use: a run without Dockerfiles never loads the parser.
  const { DockerfileParser } = require("dockerfile-ast") as typeof DockerfileAst;
  const ast = DockerfileParser.parse(text);
  const lines = text.split("\n");
  const at = (r: Range): SourceLocation => ({ file, line: r.start.line + 1, column: r.start.character + 1 });
  const fail = (message: string, r?: Range): DockerfileReadResult => ({
    errors: [
      {
        file,
        message,
        ...(r ? { line: r.start.line + 1, column: r.start.character + 1 } : { line: 1, column: 1 }),
      },
    ],
  });

  // Docker's builder accepts only a backslash or a backtick as the escape character.
  for (const directive of ast.getDirectives()) {
    if (directive.getName().toLowerCase() !== "escape") continue;
    const value = directive.getValue();
    if (value !== "\\" && value !== "`") {
      return fail(
        "invalid escape directive: Docker accepts only `# escape=\\` (the default) or `# escape=``; fix or remove the directive",
        directive.getValueRange(),
      );
    }
  }

  const astInstructions = ast.getInstructions();
  if (astInstructions.length === 0) {
    return fail("no instructions: a Dockerfile needs at least a FROM instruction");
  }
  const locations = new Map<string, SourceLocation>();
  const instructions: Instruction[] = [];
  const stages: BuildStage[] = [];
  const stageNames = new Map<string, number>();
  // Only `ARG`s declared before the first FROM can be used in FROM lines.
  const globalArgs = new Map<string, string>();

  for (const [i, ins] of astInstructions.entries()) {
    const keyword = ins.getKeyword().toUpperCase();
    const range = ins.getRange();
    if (!KNOWN_INSTRUCTIONS.has(keyword)) {
      // The line's text is not echoed: a stray line is often a pasted `KEY=secret`, and the
      // message travels into every report format.
      const guess = nearestInstruction(keyword);
      return fail(
        `unknown instruction (its text is not shown, as it may hold a secret)${guess ? `; did you mean ${guess}?` : ""}; Dockerfile instructions are ${[...KNOWN_INSTRUCTIONS].join(", ")}`,
        range,
      );
    }
    if (stages.length === 0 && keyword !== "FROM" && keyword !== "ARG") {
      return fail(
        `${keyword} before the first FROM; only ARG may come before FROM — start the build with FROM <image>`,
        range,
      );
    }
    const heredocs: string[] = [];
    for (const h of (ins as unknown as MaybeHeredocs).getHeredocs?.() ?? []) {
      if (h.getDelimiterRange() === null) {
        return fail(
          `heredoc <<${h.getName()} is never closed; end it with a line containing only ${h.getName()}`,
          h.getStartRange(),
        );
      }
      const content = h.getContentRange();
      // Docker keeps the newline before the closing delimiter as part of the body.
      heredocs.push(content ? `${sliceRange(lines, content)}\n` : "");
    }
    const raw = ins.getArgumentsContent() ?? "";
    // With heredocs the arguments run into the bodies; the instruction's own text is the first line.
    const textOf = heredocs.length > 0 ? (raw.split("\n")[0] ?? "") : raw;
    const instruction: Instruction = { keyword, text: textOf.trim(), flags: {}, heredocs };
    locations.set(`instructions.${i}`, at(range));
    for (const flag of (ins as MaybeFlags).getFlags?.() ?? []) {
      instruction.flags[flag.getName()] = flag.getValue() ?? "";
      locations.set(`instructions.${i}.flags.${flag.getName()}`, at(flag.getRange()));
    }
    const bracket = (ins as MaybeJson).getOpeningBracket?.();
    if (bracket) {
      instruction.execForm = ((ins as MaybeJson).getJSONStrings?.() ?? []).map((s) => s.getJSONValue());
      locations.set(`instructions.${i}.execForm`, at(bracket.getRange()));
    }
    const props = (ins as MaybeProperties).getProperties?.();
    if (props) {
      instruction.properties = props.map((p, k) => {
        locations.set(`instructions.${i}.properties.${k}`, at(p.getRange()));
        const value = p.getValue();
        return value === null ? { name: p.getName() } : { name: p.getName(), value };
      });
      if (keyword === "ARG" && stages.length === 0) {
        for (const p of instruction.properties) if (p.value !== undefined) globalArgs.set(p.name, p.value);
      }
    }
    if (keyword === "FROM") {
      const stage = readFrom(ins as From, i, stages.length, stageNames, globalArgs);
      if ("error" in stage) return fail(stage.error, range);
      locations.set(`stages.${stages.length}`, at(range));
      const imageRange = (ins as From).getImageRange();
      locations.set(`stages.${stages.length}.base`, at(imageRange ?? range));
      const nameRange = (ins as From).getBuildStageRange();
      if (nameRange) locations.set(`stages.${stages.length}.name`, at(nameRange));
      if (stage.name !== undefined) stageNames.set(stage.name.toLowerCase(), stages.length);
      stages.push(stage);
    } else if (stages.length > 0) {
      stages[stages.length - 1]?.body.push(i);
    }
    instructions.push(instruction);
  }

  const suppressions = suppressionsFromComments(text, file, 1, 0).map(({ location, ...s }) => {
    locations.set(s.path, location);
    return s;
  });
  const origin: Origin = {
    format: "dockerfile",
    file,
    location: at(astInstructions[0]?.getRange() ?? { start: { line: 0, character: 0 } }),
    locations,
  };
  const build: Build = {
    kind: "build",
    name: file,
    labels: labelsOf(instructions),
    annotations: {},
    origin,
    suppressions,
    instructions,
    stages,
  };
  return { build, errors: [] };
}

function readFrom(
  from: From,
  index: number,
  stageCount: number,
  stageNames: Map<string, number>,
  globalArgs: Map<string, string>,
): BuildStage | { error: string } {
  const args = from.getArguments().map((a) => a.getValue());
  const [image, as, name] = args;
  if (image === undefined) return { error: "FROM without an image; write FROM <image>[:tag] [AS <name>]" };
  if (args.length !== 1 && !(args.length === 3 && as?.toUpperCase() === "AS")) {
    // The words are counted, not echoed (they may hold a secret).
    return { error: `FROM takes an image and an optional "AS <name>", got ${args.length} words` };
  }
  const stage: BuildStage = { baseIsStage: false, from: index, body: [] };
  if (name !== undefined) stage.name = name;
  const resolved = substituteArgs(image, globalArgs);
  const earlier = stageNames.get(resolved.toLowerCase());
  if (earlier !== undefined && earlier < stageCount) {
    stage.baseIsStage = true;
    stage.baseStage = earlier;
  } else if (resolved.toLowerCase() !== "scratch") {
    stage.base = imageRefOrUnparsed(resolved);
  }
  return stage;
}

/** The known instruction a mistyped keyword is one or two edits away from, if any. */
function nearestInstruction(keyword: string): string | undefined {
  if (keyword.length > 12 || !/^[A-Z]+$/.test(keyword)) return undefined;
  let best: { name: string; distance: number } | undefined;
  for (const name of KNOWN_INSTRUCTIONS) {
    const distance = editDistance(keyword, name);
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (previous[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = row;
  }
  return previous[b.length] as number;
}

/** Expands `$NAME`, `${NAME}` and `${NAME:-default}` from global ARG defaults; unknown names stay. */
function substituteArgs(text: string, args: Map<string, string>): string {
  return text.replace(/\$\{(\w+)(?::?-([^}]*))?\}|\$(\w+)/g, (whole, braced, fallback, bare) => {
    const value = args.get(braced ?? bare);
    if (value !== undefined && value !== "") return value;
    return fallback ?? whole;
  });
}

function sliceRange(
  lines: string[],
  r: { start: { line: number; character: number }; end: { line: number; character: number } },
): string {
  const out: string[] = [];
  for (let l = r.start.line; l <= r.end.line; l++) {
    const line = (lines[l] ?? "").replace(/\r$/, "");
    const from = l === r.start.line ? r.start.character : 0;
    const to = l === r.end.line ? r.end.character : line.length;
    out.push(line.slice(from, to));
  }
  return out.join("\n");
}

/** `LABEL` values of the final image, for reporting (later labels win). */
function labelsOf(instructions: Instruction[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const ins of instructions) {
    if (ins.keyword !== "LABEL") continue;
    for (const p of ins.properties ?? []) labels[p.name] = unquote(p.value ?? "");
  }
  return labels;
}

function unquote(s: string): string {
  return s.length >= 2 && (s[0] === '"' || s[0] === "'") && s.endsWith(s[0]) ? s.slice(1, -1) : s;
}
