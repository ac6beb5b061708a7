// The component package's entry: Pulumi's run-plugin finds the components among these exports and
// starts the component provider host for them. Needs the build (`npx tsc -p tsconfig.json`).
module.exports = require("../dist/src");
