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
}

export interface BuildStage {
  /** `AS name`, when given. */
  name?: string;
  /** The `FROM` image; `undefined` for `FROM scratch`. */
  base?: ImageRef;
  /** True when `FROM` names an earlier stage rather than an image. */
  baseIsStage: boolean;
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
