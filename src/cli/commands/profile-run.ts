/** `shipshape profile create|apply` at work. */
import { existsSync, readFileSync } from "node:fs";
import { writeFileAtomic } from "../../audit/atomic-write";
import { appArmorProfile } from "../../components/runtime-profile/apparmor";
import { profileName, seccompProfileJson } from "../../components/runtime-profile/seccomp";
import { AppType, ProfileTemplate } from "../../components/runtime-profile/syscalls";
import { connectEngine, EngineUnreachableError, parseEngineAddress } from "../../live/engine";
import { applySeccompProfile, ProfileApplyRefused } from "../../profile/recreate";
import { printableLines } from "../../report/untrusted";
import { type CliIo, EXIT_CLEAN, EXIT_INPUT } from "../io";
import type { ProfileFlags } from "./profile";

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function appType(value: string): AppType {
  const v = value === "db" ? "database" : value;
  const found = Object.values(AppType).find((t) => t === v);
  if (!found)
    throw new Error(
      `option '--app-type' ${JSON.stringify(value)} is not an application type; give one of web, worker, database (or db)`,
    );
  return found;
}

function template(value: string): ProfileTemplate {
  const found = Object.values(ProfileTemplate).find((t) => t === value);
  if (!found)
    throw new Error(
      `option '--template' ${JSON.stringify(value)} is not a template; give one of strict, default, permissive`,
    );
  return found;
}

function kind(value: string): "seccomp" | "apparmor" {
  if (value === "seccomp" || value === "apparmor") return value;
  throw new Error(`option '--type' ${JSON.stringify(value)} is not a profile type; give seccomp or apparmor`);
}

export async function runProfileCreate(flags: ProfileFlags, io: CliIo): Promise<number> {
  try {
    const type = kind(flags.type);
    const app = appType(flags.appType);
    const tpl = template(flags.template);
    const name = flags.profile ?? profileName(app, tpl);
    if (!NAME.test(name))
      throw new Error(
        `option '--profile' ${JSON.stringify(name)} is not a profile name; use letters, digits, '_', '.' and '-' (at most 64)`,
      );
    const text =
      type === "seccomp"
        ? `${JSON.stringify(JSON.parse(seccompProfileJson(app, tpl)), null, 2)}\n`
        : appArmorProfile(app, tpl).replace(`profile ${profileName(app, tpl)} `, `profile ${name} `);
    const out = flags.out ?? (type === "seccomp" ? `${name}.json` : name);
    if (out === "-") io.stdout(text);
    else {
      writeFileAtomic(out, (write) => write(text));
      io.stderr(
        type === "seccomp"
          ? `profile: wrote ${out} (docker run --security-opt seccomp=${out}, or RuntimeProfile appType ${app}, template ${tpl})\n`
          : `profile: wrote ${out} (load it with apparmor_parser -r ${out}; run with --security-opt apparmor=${name})\n`,
      );
    }
    return EXIT_CLEAN;
  } catch (e) {
    io.stderr(`error: ${(e as Error).message}\n`);
    return EXIT_INPUT;
  }
}

/** Whether this host's kernel has AppArmor enabled. */
function appArmorEnabled(): boolean {
  const file = "/sys/module/apparmor/parameters/enabled";
  return existsSync(file) && readFileSync(file, "utf8").trim() === "Y";
}

export async function runProfileApply(flags: ProfileFlags, io: CliIo): Promise<number> {
  let docker: Awaited<ReturnType<typeof connectEngine>>;
  let profile: string;
  const container = flags.container as string;
  try {
    const type = kind(flags.type);
    const app = appType(flags.appType);
    const tpl = template(flags.template);
    if (type === "apparmor")
      throw new Error(
        appArmorEnabled()
          ? "profile apply --type apparmor: load the profile with apparmor_parser on the engine's host first (shipshape profile create --type apparmor), then recreate the container with --security-opt apparmor=<name>; applying seccomp is supported here"
          : "profile apply --type apparmor: this host's kernel has no AppArmor (/sys/module/apparmor/parameters/enabled), so no AppArmor profile can be enforced; use --type seccomp",
      );
    profile = seccompProfileJson(app, tpl);
    // Stopping the container may take its whole grace period (10 s) before the kill.
    docker = await connectEngine(parseEngineAddress(flags.host), 60_000);
    io.stderr(`profile: recreating ${container} with ${profileName(app, tpl)}\n`);
  } catch (e) {
    io.stderr(`error: ${(e as Error).message}\n`);
    return EXIT_INPUT;
  }
  try {
    const r = await applySeccompProfile(docker, container, profile);
    io.stdout(
      printableLines(
        `profile: ${r.name} recreated with the seccomp profile (${r.oldId.slice(0, 12)} → ${r.newId.slice(0, 12)}, ${r.running ? "running" : "not started: it was not running"}${r.keptVolumes.length > 0 ? `; anonymous volumes kept: ${r.keptVolumes.join(", ")}` : ""})\n`,
      ),
    );
    return EXIT_CLEAN;
  } catch (e) {
    if (e instanceof ProfileApplyRefused || e instanceof EngineUnreachableError) {
      io.stderr(printableLines(`error: ${e.message}\n`));
      return EXIT_INPUT;
    }
    throw e;
  }
}
