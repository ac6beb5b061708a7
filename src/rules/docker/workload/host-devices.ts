import { defineRule, PlatformScope } from "../../rule";

export const hostDevices = defineRule({
  id: "host-devices",
  title: "Host devices are not exposed to containers",
  severity: "medium",
  rationale:
    "A host device inside a container (a disk, /dev/mem, a GPU, a serial port) gives the container direct access to hardware or data outside its isolation.",
  remediation:
    "Remove the `devices:` entry; if a device is really needed, grant only it with the narrowest permissions (`r`).",
  references: { cis: ["5.18"] },
  // Kubernetes pods cannot list devices (they come from device plugins), so this only fires where a source can.
  targets: ["workload"],
  platforms: PlatformScope.Docker,
  check(w) {
    return w.containers.flatMap((c, ci) =>
      c.devices.map((d, di) => ({
        path: `containers.${ci}.devices.${di}`,
        message: `host device ${d.hostPath} is exposed to container "${c.name}"${
          d.permissions ? ` with permissions ${d.permissions}` : ""
        }`,
      })),
    );
  },
});
