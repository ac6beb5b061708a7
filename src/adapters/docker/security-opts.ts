import type { SecurityContext } from "../../model";

/**
 * Reads Docker `--security-opt` values (`docker run`, Compose `security_opt`, the Engine API's
 * `HostConfig.SecurityOpt`, the Pulumi provider's `securityOpts`) into container security fields.
 * Docker accepts both `key=value` and the older `key:value` spelling.
 */
export function applySecurityOpts(opts: readonly string[], into: SecurityContext): void {
  for (const raw of opts) {
    const opt = raw.trim();
    const sep = opt.search(/[=:]/);
    const key = (sep < 0 ? opt : opt.slice(0, sep)).toLowerCase();
    const value = sep < 0 ? "" : opt.slice(sep + 1);
    switch (key) {
      case "no-new-privileges":
        // A bare `no-new-privileges` means true.
        into.allowPrivilegeEscalation = !(value === "" || value.toLowerCase() === "true");
        break;
      case "seccomp":
        if (value === "unconfined") into.seccompProfile = { type: "Unconfined" };
        else if (value.trimStart().startsWith("{"))
          into.seccompProfile = { type: "Localhost", content: value };
        else if (value === "builtin" || value === "") into.seccompProfile = { type: "RuntimeDefault" };
        else into.seccompProfile = { type: "Localhost", localhostProfile: value };
        break;
      case "apparmor":
        into.appArmorProfile =
          value === "unconfined"
            ? { type: "Unconfined" }
            : value === "docker-default" || value === ""
              ? { type: "RuntimeDefault" }
              : { type: "Localhost", localhostProfile: value };
        break;
      case "label": {
        // label=user:USER, label=role:ROLE, label=type:TYPE, label=level:LEVEL, label=disable
        const [field, ...rest] = value.split(":");
        const v = rest.join(":");
        into.seLinuxOptions = into.seLinuxOptions ?? {};
        if (field === "disable") into.seLinuxOptions.type = "spc_t";
        else if (field === "user" || field === "role" || field === "type" || field === "level") {
          into.seLinuxOptions[field] = v;
        }
        break;
      }
      case "systempaths":
        if (value === "unconfined") into.procMount = "Unmasked";
        break;
      default:
        break;
    }
  }
}

/** The `--security-opt` spelling of a security field, for rendering and for fixes. */
export const NO_NEW_PRIVILEGES = "no-new-privileges:true";

/** Reads Docker's `--user` (`uid`, `uid:gid`, `name`, `name:group`) into security fields. */
export function applyUser(user: string | undefined, into: SecurityContext): void {
  if (user === undefined || user.trim() === "") return;
  const [u = "", g] = user.trim().split(":");
  if (/^\d+$/.test(u)) into.runAsUser = Number(u);
  else into.runAsUserName = u;
  if (g !== undefined && /^\d+$/.test(g)) into.runAsGroup = Number(g);
}
