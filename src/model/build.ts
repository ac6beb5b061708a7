import type { ImageRef } from "./image";
import type { ObjectMeta } from "./meta";

/** One Dockerfile instruction. */
export interface Instruction {
  /** Upper-case keyword: `RUN`, `COPY`, … */
  keyword: string;
  /** Arguments as written (continuations joined), without the keyword. */
  text: string;
  /** Exec-form arguments when the instruction uses JSON form. */
  execForm?: string[];
  /** `--flag=value` options (`--chown`, `--mount`, `--from`). */
  flags: Record<string, string>;
  /** Heredoc bodies attached to the instruction. */
  heredocs: string[];
  /** `ENV`, `ARG` and `LABEL` assignments in order; `value` is absent for `ARG NAME`. */
  properties?: { name: string; value?: string }[];
}

export interface BuildStage {
  /** `AS name`, when given. */
  name?: string;
  /** The `FROM` image; `undefined` for `FROM scratch`. */
  base?: ImageRef;
  /** True when `FROM` names an earlier stage rather than an image. */
  baseIsStage: boolean;
  /** Index into `Build.stages` of that earlier stage, when `baseIsStage`. */
  baseStage?: number;
  /** Index into `Build.instructions` of the stage's FROM. */
  from: number;
  /** Indexes into `Build.instructions` of the stage's instructions after FROM. */
  body: number[];
}

/** A Dockerfile: its instructions in order and the stages they form. */
export interface Build extends ObjectMeta {
  kind: "build";
  /** Instructions in file order, `ARG`s before the first `FROM` included. */
  instructions: Instruction[];
  stages: BuildStage[];
}

/** The `USER` a stage's image runs as, and where that was set. */
export interface StageUser {
  /** The user as written (`app`, `1000:1000`); `undefined` when no `USER` applies (root). */
  user?: string;
  /** Index into `Build.instructions` of the `USER` that sets it. */
  instruction?: number;
}

/**
 * The user the image of stage `stageIndex` (default: the final stage) runs as: its last `USER`,
 * else the one inherited from the earlier stage it is built `FROM`. An external base image's own
 * `USER` is not visible in the Dockerfile, so it reads as no user.
 */
export function effectiveUser(build: Build, stageIndex = build.stages.length - 1): StageUser {
  const seen = new Set<number>();
  let index = stageIndex;
  for (;;) {
    const stage = build.stages[index];
    if (!stage || seen.has(index)) return {};
    seen.add(index);
    for (let i = stage.body.length - 1; i >= 0; i--) {
      const at = stage.body[i] as number;
      const ins = build.instructions[at];
      if (ins?.keyword === "USER") return { user: ins.text.trim(), instruction: at };
    }
    if (!stage.baseIsStage || stage.baseStage === undefined) return {};
    index = stage.baseStage;
  }
}
