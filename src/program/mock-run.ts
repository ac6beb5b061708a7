import * as pulumi from "@pulumi/pulumi";
import { offlineOutputs } from "./offline-outputs";

/** A resource the program registered, with the inputs the provider would have received. */
export interface CapturedResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** The provider reference of a custom resource (`urn::id`), when it has one. */
  provider?: string;
}

type PulumiModule = typeof pulumi;

/** Waits until every resource registration the program started has reached the (mock) monitor. */
async function settle(sdk: PulumiModule): Promise<void> {
  // `waitForRPCs` is the SDK's own drain of outstanding registrations (what `disconnect` awaits).
  const settings = require(require.resolve("@pulumi/pulumi/runtime/settings", { paths: [sdkDir(sdk)] })) as {
    waitForRPCs?: () => Promise<void>;
  };
  for (let i = 0; i < 3; i++) {
    await settings.waitForRPCs?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const SDK_DIRS = new WeakMap<object, string>();
function sdkDir(sdk: PulumiModule): string {
  return SDK_DIRS.get(sdk) ?? __dirname;
}

/**
 * Runs `program` under Pulumi's mock runtime and returns the resources it registered.
 * `sdks` are the `@pulumi/pulumi` module instances to mock (the program may resolve its own).
 */
export async function runUnderMocks(
  program: () => unknown,
  options: { project?: string; stack?: string; sdks?: { module: PulumiModule; dir: string }[] } = {},
): Promise<CapturedResource[]> {
  const captured: CapturedResource[] = [];
  const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
      const resource: CapturedResource = { type: args.type, name: args.name, inputs: args.inputs };
      if (args.provider) resource.provider = args.provider;
      captured.push(resource);
      return { id: `${args.name}-id`, state: offlineOutputs(args.type, args.inputs) };
    },
    call(args) {
      return args.inputs;
    },
  };
  const sdks = options.sdks ?? [{ module: pulumi, dir: __dirname }];
  for (const { module, dir } of sdks) {
    SDK_DIRS.set(module, dir);
    await module.runtime.setMocks(
      mocks,
      options.project ?? "shipshape-render",
      options.stack ?? "render",
      false,
    );
  }
  const result = program();
  // A program may export an async function or a promise (Pulumi allows both).
  if (result instanceof Promise) await result;
  for (const { module } of sdks) await settle(module);
  return captured;
}
