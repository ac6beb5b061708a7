import type { Build, BuildStage, Instruction } from "../../../model";

/** An instruction with its index in `Build.instructions` (the model path is `instructions.<index>`). */
export interface IndexedInstruction {
  index: number;
  instruction: Instruction;
}

export function instructionPath(index: number): string {
  return `instructions.${index}`;
}

/** Instructions of a stage after its FROM, in order. */
export function stageInstructions(build: Build, stage: BuildStage): IndexedInstruction[] {
  return stage.body.flatMap((index) => {
    const instruction = build.instructions[index];
    return instruction ? [{ index, instruction }] : [];
  });
}

/** Every instruction with the given keyword, in file order. */
export function instructionsOf(build: Build, keyword: string): IndexedInstruction[] {
  return build.instructions.flatMap((instruction, index) =>
    instruction.keyword === keyword ? [{ index, instruction }] : [],
  );
}

/** The stage the image is built from: the last one. */
export function finalStage(build: Build): BuildStage | undefined {
  return build.stages[build.stages.length - 1];
}

/** The stage an earlier `FROM <stage>` names, when the base is a stage. */
function parentStage(build: Build, stage: BuildStage): BuildStage | undefined {
  if (!stage.baseIsStage) return undefined;
  if (stage.baseStage !== undefined) return build.stages[stage.baseStage];
  const name = build.instructions[stage.from]?.text.trim().split(/\s+/)[0]?.toLowerCase();
  const position = build.stages.indexOf(stage);
  return build.stages
    .slice(0, position)
    .reverse()
    .find((s, i) => s.name?.toLowerCase() === name || String(position - 1 - i) === name);
}

/**
 * The last instruction with `keyword` that applies to `stage`: its own, else (for
 * `FROM <earlier-stage>`) the one it inherits. Settings such as USER and HEALTHCHECK carry
 * over from a stage used as a base.
 */
export function effectiveInstruction(
  build: Build,
  stage: BuildStage,
  keyword: string,
): IndexedInstruction | undefined {
  const seen = new Set<BuildStage>();
  let current: BuildStage | undefined = stage;
  while (current && !seen.has(current)) {
    seen.add(current);
    const own = stageInstructions(build, current).filter((i) => i.instruction.keyword === keyword);
    const last = own[own.length - 1];
    if (last) return last;
    current = parentStage(build, current);
  }
  return undefined;
}

/** The shell text a RUN executes: shell form, exec form joined, and heredoc bodies. */
export function runScript(instruction: Instruction): string {
  const main = instruction.execForm ? instruction.execForm.join(" ") : instruction.text;
  return [main, ...instruction.heredocs].join("\n");
}

/**
 * Splits a shell script into simple commands (at `&&`, `||`, `;`, `|`, `&` and newlines) and each
 * command into words. Quotes are removed; this is not a shell parser, but it is what the checks
 * need to find a program and its options.
 */
export function shellCommands(script: string): string[][] {
  const joined = script.replace(/\\\r?\n/g, " ");
  return joined
    .split(/&&|\|\||[;|&\n]/)
    .map((segment) =>
      segment
        .trim()
        .split(/\s+/)
        .filter((w) => w !== "")
        .map((w) => w.replace(/^["']|["']$/g, "")),
    )
    .filter((words) => words.length > 0);
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const PREFIX_PROGRAMS = new Set(["sudo", "env", "exec", "nohup", "time", "command", "xargs"]);

/**
 * The program a command runs and its arguments, skipping leading `VAR=value` assignments and
 * wrappers such as `sudo`, `env` and `exec` (so `sudo apt-get install` is `apt-get install`).
 */
export function program(words: string[]): { name: string; args: string[] } | undefined {
  let i = 0;
  while (i < words.length) {
    const w = words[i] ?? "";
    if (ASSIGNMENT.test(w)) i++;
    else if (PREFIX_PROGRAMS.has(basename(w))) {
      i++;
      while (i < words.length && (words[i] ?? "").startsWith("-")) i++;
    } else break;
  }
  const name = words[i];
  if (name === undefined) return undefined;
  return { name: basename(name), args: words.slice(i + 1) };
}

function basename(path: string): string {
  const cut = path.lastIndexOf("/");
  return cut < 0 ? path : path.slice(cut + 1);
}

/** `NAME=value` pairs of an ENV or ARG instruction (also the legacy `ENV NAME value` form). */
export function assignments(instruction: Instruction): { name: string; value?: string }[] {
  if (instruction.properties) {
    return instruction.properties.map((p) =>
      p.value === undefined ? { name: p.name } : { name: p.name, value: unquote(p.value) },
    );
  }
  const text = instruction.text.trim();
  if (instruction.keyword === "ENV" && !/^[^\s=]+=/.test(text)) {
    const [name = "", ...rest] = text.split(/\s+/);
    return name === "" ? [] : [{ name, value: rest.join(" ") }];
  }
  const out: { name: string; value?: string }[] = [];
  // NAME, NAME=value, NAME="value with spaces", NAME='value'
  const pattern = /([^\s=]+)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|\S*))?/g;
  for (const m of text.matchAll(pattern)) {
    const name = m[1] ?? "";
    const raw = m[2];
    if (raw === undefined) out.push({ name });
    else out.push({ name, value: raw.replace(/^(["'])(.*)\1$/s, "$2") });
  }
  return out;
}

/** `VAR=value` words in a RUN (inline assignments and `export VAR=value`). */
export function runAssignments(script: string): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const words of shellCommands(script)) {
    for (const w of words) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(w);
      if (m) out.push({ name: m[1] ?? "", value: unquote(m[2] ?? "") });
    }
  }
  return out;
}

export function unquote(value: string): string {
  return value.replace(/^(["'])(.*)\1$/s, "$2");
}
