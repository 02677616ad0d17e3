// Bad options fail at once with a typed error saying what to pass, before anything is read or written.
import { DealCloudAuthError } from "@dealcloud-ts/auth";
import { describe, expect, it } from "vitest";
import { createDenoKvTokenStore, type DenoKvLike } from "../src/index.js";

const kv: DenoKvLike = {
  get: async () => ({ value: null, versionstamp: null }),
  set: async () => ({ ok: true }),
  delete: async () => undefined,
  atomic: () => {
    throw new Error("not used here");
  },
};

const failure = (make: () => unknown) => {
  try {
    make();
  } catch (error) {
    return error as DealCloudAuthError;
  }
  throw new Error("no error was thrown");
};

describe("createDenoKvTokenStore options", () => {
  it("refuses a missing or wrong `kv` with INVALID_OPTION naming Deno.openKv", () => {
    for (const options of [undefined, {}, { kv: {} }, { kv: { get() {}, set() {} } }]) {
      const error = failure(() => createDenoKvTokenStore(options as never));
      expect(error).toBeInstanceOf(DealCloudAuthError);
      expect([error.code, error.message]).toEqual(["INVALID_OPTION", expect.stringContaining("Deno.openKv()")]);
    }
  });

  it("refuses an empty or non-string prefix", () => {
    for (const prefix of ["", 7]) {
      const error = failure(() => createDenoKvTokenStore({ kv, prefix: prefix as string }));
      expect([error.code, error.message]).toEqual(["INVALID_OPTION", expect.stringContaining("prefix")]);
    }
  });

  it("passes the lock options on to @dealcloud-ts/auth/shared, which checks them", () => {
    const error = failure(() => createDenoKvTokenStore({ kv, lockTtlMs: -1 }));
    expect([error.code, error.message]).toEqual(["INVALID_OPTION", expect.stringContaining("lockTtlMs")]);
  });

  it("offers the coordination the manager needs", () => {
    const store = createDenoKvTokenStore({ kv });
    expect(Object.keys(store.coordination ?? {}).sort()).toEqual(["acquire", "extend", "pause", "release", "take"]);
  });
});
