// The validate stage's gate: exit 1 when a SARIF report has a result whose rule is not one of
// the accepted ids given after the file, listing each (rule, location, message) on stdout.
//   node examples/ci/sarif-gate.cjs REPORT.sarif [ACCEPTED-RULE-ID]...
const fs = require("node:fs");

const [file, ...accepted] = process.argv.slice(2);
if (!file) {
  console.error("usage: node sarif-gate.cjs REPORT.sarif [ACCEPTED-RULE-ID]...");
  process.exit(2);
}
const report = JSON.parse(fs.readFileSync(file, "utf8"));
const results = (report.runs ?? []).flatMap((run) => run.results ?? []);
const where = (r) => {
  const loc = r.locations?.[0]?.physicalLocation;
  return loc ? `${loc.artifactLocation?.uri ?? "?"}:${loc.region?.startLine ?? 1}` : "?";
};
// JSON.stringify escapes control characters, so no finding's text reaches the terminal raw.
const show = (r) =>
  `${JSON.stringify(r.ruleId ?? "")} ${JSON.stringify(where(r))} ${JSON.stringify(r.message?.text ?? "")}`;
const blocking = results.filter((r) => !accepted.includes(r.ruleId));
for (const r of results.filter((r) => accepted.includes(r.ruleId))) console.log(`accepted: ${show(r)}`);
for (const r of blocking) console.log(`finding: ${show(r)}`);
console.log(`${results.length} result(s), ${blocking.length} blocking`);
process.exit(blocking.length === 0 ? 0 : 1);
