// A legacy report generator that writes caches all over its image and fixes file ownership at
// start. Each weakening is a named override with a reason; the reason is written onto the
// container as `shipshape.io/override.<name>` (and as a suppression of the rule it weakens),
// so audits and the policy pack show the decision instead of an unexplained finding.
import { AppType, Capability, ProfileTemplate, SecureService } from "shipshape";

new SecureService("reports", {
  docker: {},
  image: "registry.example.com/finance/reports:2.4.1",
  healthCheck: { command: ["/opt/reports/bin/healthcheck"] },
  resources: { cpu: "1", memory: "512Mi" },
  runtimeProfile: { appType: AppType.Worker, template: ProfileTemplate.Default },
  overrides: {
    writableRootFilesystem: {
      reason:
        "vendor binary writes its font cache under /opt/reports/cache; ticket FIN-231 tracks moving it to /tmp",
    },
    extraCapabilities: {
      capabilities: [Capability.Chown],
      reason: "entrypoint chowns the spool directory it creates; removed once FIN-232 ships",
    },
  },
});
