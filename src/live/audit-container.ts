/**
 * The live audit of one inspected container, as `shipshape watch`, `shipshape analyze` and
 * `shipshape dashboard` run it: the container as a workload, judged by the live audit's rules.
 */
import type Dockerode from "dockerode";
import { audit } from "../engine/audit";
import type { Finding } from "../engine/finding";
import type { Severity } from "../rules/rule";
import { containerToWorkload, type EngineDefaults } from "./container-workload";
import { type EngineInfo, securityOptions } from "./daemon-model";
import { liveAuditRules } from "./live-rules";

/**
 * What the engine applies to every container, as far as `GET /info` tells. The daemon's
 * `no-new-privileges` default is in its configuration file, not in `/info`: taken as off, so a
 * container is credited only with what it sets itself.
 */
export function engineDefaultsFromInfo(info: EngineInfo): EngineDefaults {
  const security = securityOptions(info);
  return { seccomp: security.has("seccomp"), noNewPrivileges: false, usernsRemap: security.has("userns") };
}

/** The live audit's findings on one container (`engine` names the engine in each finding's object). */
export function auditInspectedContainer(
  info: Dockerode.ContainerInspectInfo,
  engine: string,
  defaults: EngineDefaults,
  minSeverity: Severity = "low",
): Finding[] {
  return audit([containerToWorkload(info, engine, defaults)], { rules: liveAuditRules(), minSeverity });
}
