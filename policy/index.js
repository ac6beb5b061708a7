// The shipshape policy pack. Settings come from shipshape.policy.json beside this file
// (profile, minSeverity, per-rule levels, allowedRegistries, imageEvidenceTypes, verifiedImages,
// exemptions); CrossGuard's own --policy-pack-config still sets each policy's enforcementLevel
// and exemptions (and image-not-verified's verifiedImages and imageEvidenceTypes).
const fs = require("node:fs");
const path = require("node:path");
const { PolicyPack } = require("@pulumi/policy");
// The library this pack belongs to (its policy entry, built to dist/ by `npm run build`).
const { shipshapePolicies } = require("../dist/src/policy");

const settingsFile = path.join(__dirname, "shipshape.policy.json");
const settings = fs.existsSync(settingsFile) ? JSON.parse(fs.readFileSync(settingsFile, "utf8")) : {};

new PolicyPack("shipshape", {
  description: "shipshape: hardened Docker and Kubernetes resources",
  policies: shipshapePolicies(settings),
});
