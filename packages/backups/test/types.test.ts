// Compile-time specifications: `pnpm typecheck` fails if a line marked @ts-expect-error stops being an error.
import { describe, expectTypeOf, it } from "vitest";
import { createBackupsClient, type BackupRequest, type ErrorBody } from "../src/index.js";

const client = createBackupsClient({ baseUrl: "https://acme.dealcloud.com", clientId: 1, clientSecret: "s" });

describe("the Site Backups types", () => {
  it("accept a request by ids or by apiNames, and nothing else", () => {
    expectTypeOf<{ ids: number[] }>().toExtend<BackupRequest>();
    expectTypeOf<{ apiNames: string[] }>().toExtend<BackupRequest>();
    const typed = () => {
      // @ts-expect-error: the API has no GET /request
      void client.GET("/request");
      // @ts-expect-error: not a path of the Site Backups API
      void client.POST("/requests", { body: { ids: [1] } });
      // @ts-expect-error: ids are integers, not strings
      void client.POST("/request", { body: { ids: ["2011"] } });
      // @ts-expect-error: the body is required
      void client.POST("/request", {});
    };
    void typed;
  });

  it("type the error body as the vendor's { message }", () => {
    const typed = async () => {
      const { error } = await client.POST("/request", { body: { ids: [2011] } });
      if (error) expectTypeOf(error).toEqualTypeOf<ErrorBody>();
    };
    void typed;
  });
});
