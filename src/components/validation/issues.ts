import type * as PulumiSdk from "@pulumi/pulumi";

let sdk: typeof PulumiSdk | undefined;

/** The SDK, required once on first use: the CLI's audit loads these checks without running a program. */
function isOutput(value: unknown): boolean {
  sdk ??= require("@pulumi/pulumi") as typeof PulumiSdk;
  return sdk.Output.isInstance(value);
}

/** One thing wrong with a component's args. */
export interface ArgsIssue {
  /** Dotted path from the args root (`ports.0.containerPort`). */
  path: string;
  /** The value found there (undefined when missing). */
  value: unknown;
  /** What is wrong and how to fix it. */
  message: string;
  /** The value may be a secret: messages say so instead of showing it. */
  sensitive?: boolean;
}

/**
 * Invalid args of a component, thrown before any resource (the component included) is
 * registered. The message lists every issue: field path, what was found, and the fix.
 */
export class ComponentArgsError extends Error {
  readonly issues: ArgsIssue[];
  constructor(component: string, name: string, issues: ArgsIssue[]) {
    const lines = issues.map((i) => {
      const got = i.path === "" && i.value === undefined ? "" : ` (got ${describeValue(i)})`;
      return `  - ${i.path || "(args)"}: ${i.message}${got}`;
    });
    super(`invalid ${component} "${name}" args:\n${lines.join("\n")}`);
    this.name = "ComponentArgsError";
    this.issues = issues;
  }
}

const MAX_SHOWN = 80;

/** The bad value as a message shows it: short, one line, and never a possible secret. */
export function describeValue(issue: Pick<ArgsIssue, "value" | "sensitive">): string {
  const { value } = issue;
  if (value === undefined) return "nothing";
  if (isOutput(value)) return "an Output";
  if (value instanceof Promise) return "a Promise";
  if (issue.sensitive) return `a ${typeof value} (not shown: it may be a secret)`;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 3)}...` : text;
}

/** The value at a path of plain data, or undefined where the path leaves it. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const seg of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[seg];
  }
  return value;
}

/** True when a value is or contains an Output or a Promise (not known while the program runs). */
export function containsUnknown(value: unknown, depth = 0): boolean {
  if (isOutput(value) || value instanceof Promise) return true;
  if (depth > 8 || value === null || typeof value !== "object") return false;
  return Object.values(value as Record<string, unknown>).some((v) => containsUnknown(v, depth + 1));
}

const RESOURCE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The component's resource name where engine and cluster objects are named after it: at most
 * 50 characters of a DNS label, so suffixes like `-net` still fit. `becomes` says what it names.
 */
export function resourceNameIssues(name: unknown, becomes: string): ArgsIssue[] {
  if (typeof name === "string" && RESOURCE_NAME.test(name) && name.length <= 50) return [];
  return [
    {
      path: "name",
      value: name,
      message: `the resource name becomes ${becomes}: use at most 50 lowercase letters, digits and '-', starting and ending with a letter or digit`,
    },
  ];
}
