// Bad options fail at once with a typed error saying what to pass; the Durable Object refuses calls it cannot read.
import { DealCloudAuthError } from "@dealcloud-ts/auth";
import { describe, expect, it } from "vitest";
import {
  createDurableObjectTokenStore,
  createWorkersKvTokenStore,
  type DurableObjectNamespaceLike,
  type KvNamespaceLike,
  TokenCoordinatorDurableObject,
} from "../src/index.js";

const failure = (make: () => unknown) => {
  try {
    make();
  } catch (error) {
    return error as DealCloudAuthError;
  }
  throw new Error("no error was thrown");
};
const namespace: KvNamespaceLike = { get: async () => null, put: async () => undefined, delete: async () => undefined };
const stub = { fetch: async () => new Response("{}") };
const objects: DurableObjectNamespaceLike = { idFromName: (name) => name, get: () => stub };

describe("createWorkersKvTokenStore options", () => {
  it("refuses a missing namespace with INVALID_OPTION naming the binding", () => {
    for (const options of [undefined, {}, { namespace: { get() {} } }]) {
      const error = failure(() => createWorkersKvTokenStore(options as never));
      expect(error).toBeInstanceOf(DealCloudAuthError);
      expect([error.code, error.message]).toEqual(["INVALID_OPTION", expect.stringContaining("Workers KV binding")]);
    }
  });

  it("is a cache only: it has no coordination", () => {
    expect("coordination" in createWorkersKvTokenStore({ namespace })).toBe(false);
  });
});

describe("createDurableObjectTokenStore options", () => {
  it("needs `namespace` and `name`, or a `stub`, and not both", () => {
    const cases: [unknown, string][] = [
      [undefined, "namespace"],
      [{}, "namespace"],
      [{ namespace: objects }, "name"],
      [{ namespace: objects, name: "" }, "name"],
      [{ namespace: {}, name: "106" }, "namespace must be"],
      [{ namespace: objects, name: "106", stub }, "not both"],
      [{ stub: {} }, "stub"],
    ];
    for (const [options, says] of cases) {
      const error = failure(() => createDurableObjectTokenStore(options as never));
      expect([error.code, error.message]).toEqual(["INVALID_OPTION", expect.stringContaining(says)]);
    }
  });

  it("rejects a call the object answers with an error status, naming the status and not the body", async () => {
    const store = createDurableObjectTokenStore({
      stub: { fetch: async () => new Response(JSON.stringify({ error: "secret-ish body" }), { status: 500 }) },
    });
    const error = (await store.coordination
      ?.acquire("k", "owner", 1_000)
      .catch((caught) => caught)) as DealCloudAuthError;
    expect([error.code, error.status, error.message.includes("secret-ish")]).toEqual(["SERVER_ERROR", 500, false]);
  });
});

describe("TokenCoordinatorDurableObject", () => {
  const storage = new Map<string, unknown>();
  const object = new TokenCoordinatorDurableObject({
    storage: {
      get: async (key) => storage.get(key),
      put: async (key, value) => void storage.set(key, value),
      delete: async (key) => storage.delete(key),
    },
  });
  const post = (body: unknown, headers: Record<string, string> = { "x-dealcloud-token-coordinator": "1" }) =>
    object.fetch(
      new Request("https://token-coordinator.invalid/", { method: "POST", headers, body: JSON.stringify(body) }),
    );

  it("answers 400 to another protocol version, a body that is not a call, and an unknown op", async () => {
    const answers = await Promise.all([
      post({ op: "get", key: "k" }, {}),
      post({ op: "take", key: "k", limit: "ten", windowMs: 60_000, now: 0 }),
      post({ op: "steal", key: "k" }),
      post({ op: "get" }),
      post({ op: "extend", key: "k", owner: "me", ttlMs: "long" }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 400, 400]);
    expect(storage.size).toBe(0);
  });

  it("answers GET with 405", async () => {
    const answer = await object.fetch(new Request("https://token-coordinator.invalid/"));
    expect(answer.status).toBe(405);
  });
});
