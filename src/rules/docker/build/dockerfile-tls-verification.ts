import type { Instruction } from "../../../model";
import { defineRule, PlatformScope, type Violation } from "../../rule";
import {
  assignments,
  instructionPath,
  instructionsOf,
  program,
  runAssignments,
  runScript,
  shellCommands,
} from "./dockerfile";

/**
 * Environment variables that turn certificate checks off, the values that do it, and the
 * Checkov check of that variable (each finding cites only its own).
 */
const INSECURE_VARIABLES: {
  name: RegExp;
  disables: (value: string) => boolean;
  what: string;
  checkov?: string;
}[] = [
  {
    name: /^PYTHONHTTPSVERIFY$/,
    disables: (v) => v === "0",
    what: "Python's HTTPS verification",
    checkov: "CKV2_DOCKER_5",
  },
  {
    name: /^NODE_TLS_REJECT_UNAUTHORIZED$/,
    disables: (v) => v === "0",
    what: "Node.js certificate checks",
    checkov: "CKV2_DOCKER_6",
  },
  {
    name: /^NPM_CONFIG_STRICT_SSL$/i,
    disables: (v) => v.toLowerCase() === "false",
    what: "npm's strict SSL",
    checkov: "CKV2_DOCKER_12",
  },
  {
    name: /^GIT_SSL_NO_VERIFY$/,
    disables: (v) => v !== "",
    what: "git's certificate checks",
    checkov: "CKV2_DOCKER_14",
  },
  {
    name: /^PIP_TRUSTED_HOST$/,
    disables: (v) => v !== "",
    what: "pip's certificate checks for the listed hosts",
    checkov: "CKV2_DOCKER_16",
  },
  {
    name: /^GOINSECURE$/,
    disables: (v) => v !== "",
    what: "Go's certificate checks for the listed modules",
    checkov: "CKV2_DOCKER_18",
  },
];

/** The Checkov check of each insecure command, by the program that runs it. */
const COMMAND_CHECKS: Record<string, string> = {
  curl: "CKV2_DOCKER_2",
  wget: "CKV2_DOCKER_3",
  pip: "CKV2_DOCKER_4",
  npm: "CKV2_DOCKER_13",
  yarn: "CKV2_DOCKER_13",
  "yum-config-manager": "CKV2_DOCKER_15",
  "dnf-config-manager": "CKV2_DOCKER_15",
  yum: "CKV2_DOCKER_15",
  dnf: "CKV2_DOCKER_15",
};

interface Problem {
  message: string;
  checkov?: string;
}

const FALSY = /^(0|false|no)$/i;

/** Commands whose options disable TLS verification; returns what is disabled, or undefined. */
function insecureCommand(name: string, args: string[]): string | undefined {
  switch (name) {
    case "curl":
      if (args.some((a) => a === "--insecure" || /^-[a-zA-Z]*k[a-zA-Z]*$/.test(a))) return "curl --insecure";
      return undefined;
    case "wget":
      return args.includes("--no-check-certificate") ? "wget --no-check-certificate" : undefined;
    case "pip":
    case "pip3":
      return args.some((a) => a === "--trusted-host" || a.startsWith("--trusted-host="))
        ? "pip --trusted-host"
        : undefined;
    case "python":
    case "python3":
      return args[0] === "-m" && /^pip3?$/.test(args[1] ?? "")
        ? insecureCommand("pip", args.slice(2))
        : undefined;
    case "npm":
    case "yarn": {
      // npm config set strict-ssl false | npm c set strict-ssl=false | yarn config set strict-ssl false
      const words = args.filter((a) => !a.startsWith("-"));
      const at = words.indexOf("set");
      const key = words[at + 1] ?? "";
      const value = key.includes("=") ? key.split("=")[1] : words[at + 2];
      return at >= 0 && key.split("=")[0] === "strict-ssl" && FALSY.test(value ?? "")
        ? `${name} config set strict-ssl false`
        : undefined;
    }
    case "git":
      return args.some((a) => /^http\.sslverify(=|$)/i.test(a)) &&
        (args.some((a) => /^http\.sslverify=(0|false|no)$/i.test(a)) || args.some((a) => FALSY.test(a)))
        ? "git http.sslVerify false"
        : undefined;
    case "yum-config-manager":
    case "dnf-config-manager":
      return args.some((a) => /^--setopt=(\S*\.)?sslverify=(0|false|no)$/i.test(a))
        ? `${name} sslverify=0`
        : undefined;
    case "yum":
    case "dnf":
      return args.includes("config-manager") &&
        args.some((a) => /^--setopt=(\S*\.)?sslverify=(0|false|no)$/i.test(a))
        ? `${name} config-manager sslverify=0`
        : undefined;
    default:
      return undefined;
  }
}

function variableFinding(name: string, value: string): Problem | undefined {
  const rule = INSECURE_VARIABLES.find((v) => v.name.test(name));
  if (!rule?.disables(value.trim())) return undefined;
  const problem: Problem = { message: `${name}=${value} disables ${rule.what}` };
  if (rule.checkov) problem.checkov = rule.checkov;
  return problem;
}

function check(index: number, instruction: Instruction): Violation[] {
  const problems: Problem[] = [];
  if (instruction.keyword === "ENV" || instruction.keyword === "ARG") {
    for (const a of assignments(instruction)) {
      const p = a.value === undefined ? undefined : variableFinding(a.name, a.value);
      if (p) problems.push(p);
    }
  } else if (instruction.keyword === "RUN") {
    const script = runScript(instruction);
    for (const a of runAssignments(script)) {
      const p = variableFinding(a.name, a.value);
      if (p) problems.push(p);
    }
    for (const words of shellCommands(script)) {
      const p = program(words);
      const found = p && insecureCommand(p.name, p.args);
      if (!found) continue;
      // `python -m pip` is pip's check; the program name decides otherwise.
      const checkov = COMMAND_CHECKS[found.split(" ")[0] as string];
      problems.push({
        message: `${found} disables certificate verification`,
        ...(checkov ? { checkov } : {}),
      });
    }
  }
  // Each finding cites the Checkov check of its variable or command alone, or none.
  return problems.map((p) => ({
    path: instructionPath(index),
    message: p.message,
    references: { checkov: p.checkov ? [p.checkov] : [] },
  }));
}

export const dockerfileTlsVerification = defineRule({
  id: "dockerfile-tls-verification",
  title: "Builds do not turn off TLS certificate verification",
  severity: "high",
  rationale:
    "With certificate checks off, anyone on the network path can serve the build a tampered package, script or module, which then ships inside the image.",
  remediation:
    "Remove the insecure option or variable. If a private CA is involved, add its certificate to the image's trust store (e.g. copy it to /usr/local/share/ca-certificates and run update-ca-certificates) instead.",
  references: {
    checkov: [
      "CKV2_DOCKER_2",
      "CKV2_DOCKER_3",
      "CKV2_DOCKER_4",
      "CKV2_DOCKER_5",
      "CKV2_DOCKER_6",
      "CKV2_DOCKER_12",
      "CKV2_DOCKER_13",
      "CKV2_DOCKER_14",
      "CKV2_DOCKER_15",
      "CKV2_DOCKER_16",
      "CKV2_DOCKER_18",
    ],
  },
  targets: ["build"],
  platforms: PlatformScope.Docker,
  check(build) {
    return ["ENV", "ARG", "RUN"]
      .flatMap((k) => instructionsOf(build, k))
      .sort((a, b) => a.index - b.index)
      .flatMap(({ index, instruction }) => check(index, instruction));
  },
});
