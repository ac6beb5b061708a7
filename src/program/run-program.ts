import { dirname } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { type CapturedResource, runUnderMocks } from "./mock-run";
import { programEntry } from "./program-entry";

export { ProgramError, programEntry } from "./program-entry";

/**
 * Runs the Pulumi program in `programDir` under the mock runtime and returns every resource it
 * registered. The program's own `@pulumi/pulumi` (when it resolves a different copy) is mocked
 * too. Shared by `shipshape render` and `shipshape check`.
 */
export async function runProgram(
  programDir: string,
  names: { project: string; stack: string },
): Promise<CapturedResource[]> {
  const entry = programEntry(programDir);
  // Components' inputs are how the program says what it declared (render reads them back).
  delete process.env.PULUMI_NODEJS_SKIP_COMPONENT_INPUTS;
  if (entry.endsWith(".ts")) {
    try {
      (require("tsx/cjs/api") as { register: () => void }).register();
    } catch {
      // Without tsx, Node's own type stripping loads TypeScript that needs no transform.
    }
  }
  const sdks: { module: typeof pulumi; dir: string }[] = [{ module: pulumi, dir: __dirname }];
  try {
    const theirs = require.resolve("@pulumi/pulumi", { paths: [dirname(entry)] });
    const module = require(theirs) as typeof pulumi;
    if (module !== pulumi) sdks.push({ module, dir: dirname(entry) });
  } catch {
    // The program brings no SDK of its own; it uses ours.
  }
  // Components with side effects outside Pulumi (SecretStore's env file) leave them out of a
  // program that is only being looked at.
  const flags = globalThis as { [PROGRAM_INSPECTION]?: boolean };
  flags[PROGRAM_INSPECTION] = true;
  try {
    return await runUnderMocks(
      () => {
        const exported = require(entry) as unknown;
        const fn = (exported as { default?: unknown })?.default ?? exported;
        return typeof fn === "function" ? (fn as () => unknown)() : undefined;
      },
      { ...names, sdks },
    );
  } finally {
    delete flags[PROGRAM_INSPECTION];
  }
}

/** Set on globalThis while `shipshape render`/`check`/`audit` run a program under mocks. */
export const PROGRAM_INSPECTION = Symbol.for("shipshape.program-inspection");
