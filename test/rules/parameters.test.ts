/** Rule parameters are declared data, checked by the engine before any rule runs. */
import { describe, expect, it } from "vitest";
import { audit, checkParameters } from "../../src/engine/audit";
import { loadComposeFile } from "../../src/sources/compose-file";

const COMPOSE = 'services:\n  web:\n    image: example/web:1.0\n    ports:\n      - "8080:80"\n';

describe("rule parameters", () => {
  const source = loadComposeFile("compose.yaml", COMPOSE);
  const only = ["ports-all-interfaces"];

  it("default to the declared value: no bindAddress, so no fix", () => {
    const [finding] = audit(source.resources, { only });
    expect(finding).toMatchObject({ ruleId: "ports-all-interfaces", line: 5 });
    expect(finding?.fix).toBeUndefined();
  });

  it("bindAddress turns on the fix that binds the port to that address", () => {
    const parameters = { "ports-all-interfaces": { bindAddress: "::1" } };
    const [finding] = audit(source.resources, { only, parameters });
    expect(finding?.fix).toEqual([{ op: "set", path: "containers.0.ports.0.hostIP", value: "::1" }]);
  });

  it("refuse unknown rules, unknown names and values of the wrong type", () => {
    expect(() => checkParameters({ nope: {} })).toThrow('parameters for unknown rule "nope"');
    expect(() => checkParameters({ "ports-all-interfaces": { address: "127.0.0.1" } })).toThrow(
      'rule ports-all-interfaces has no parameter "address" (its parameters: bindAddress)',
    );
    expect(() => checkParameters({ "ports-all-interfaces": { bindAddress: "localhost" } })).toThrow(
      'parameter ports-all-interfaces.bindAddress must be of type ip-address, got "localhost"',
    );
    expect(() => checkParameters({ "privileged-container": { x: 1 } })).toThrow("(its parameters: none)");
  });

  it("restart-policy's maxRetries and run-as-high-uid's minUid replace their defaults", () => {
    const compose = loadComposeFile(
      "compose.yaml",
      'services:\n  a:\n    image: x:1\n    user: "5000"\n    restart: on-failure:4\n',
    );
    const only = ["restart-policy", "run-as-high-uid"];
    expect(audit(compose.resources, { only }).map((f) => f.ruleId)).toEqual(["run-as-high-uid"]);
    const stricter = audit(compose.resources, {
      only,
      parameters: { "restart-policy": { maxRetries: 3 }, "run-as-high-uid": { minUid: 1000 } },
    });
    expect(stricter.map((f) => `${f.ruleId}: ${f.message}`)).toEqual([
      "restart-policy: restart policy on-failure allows 4 retries; use 3 or fewer",
    ]);
  });
});
