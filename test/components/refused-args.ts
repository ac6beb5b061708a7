/**
 * The shared check of a component's validation cases: constructing it with the case's args
 * registers nothing and throws a ComponentArgsError whose issue at the case's path says the fix;
 * the message names the path, and never contains what must stay secret.
 */
import { expect } from "vitest";
import { ComponentArgsError } from "../../src";
import { runUnderMocks } from "../../src/program/mock-run";

export interface RefusedCase {
  what: string;
  args: unknown;
  /** The issue's field path ("" for the args as a whole). */
  path: string;
  message: RegExp;
}

export async function expectRefused(
  construct: (args: unknown) => void,
  c: RefusedCase,
  secret?: string,
): Promise<void> {
  let error: unknown;
  const registered = await runUnderMocks(() => {
    try {
      construct(c.args);
    } catch (e) {
      error = e;
    }
  });
  expect(registered).toEqual([]);
  expect(error).toBeInstanceOf(ComponentArgsError);
  const issue = (error as ComponentArgsError).issues.find((i) => i.path === c.path);
  expect(issue, JSON.stringify((error as ComponentArgsError).issues)).toBeDefined();
  expect(issue?.message).toMatch(c.message);
  expect((error as Error).message).toContain(`${c.path || "(args)"}: `);
  if (secret !== undefined) expect((error as Error).message).not.toContain(secret);
}
