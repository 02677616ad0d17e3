// Compile-time specifications: `pnpm typecheck` fails if a line marked @ts-expect-error stops being an error.
import { describe, expectTypeOf, it } from "vitest";
import {
  createRiImportClient,
  type Email,
  type EmailImportRequest,
  type EmailImportResult,
  type ErrorBody,
  type ImportStatus,
  type UserEmails,
} from "../src/index.js";

const client = createRiImportClient({ baseUrl: "https://acme.dealcloud.com", clientId: 1, clientSecret: "s" });
const jane = { address: "jane@example.com", name: "Jane Doe" };
const john = { address: "john@example.com", name: "John Roe" };
const dates = { sentDate: "2024-01-15T09:30:00Z", modifiedDate: "2024-01-15T09:30:00Z" };

describe("the Relationship Intelligence Import API types", () => {
  it("model the emails request with the sample's casing and the three handler types", () => {
    expectTypeOf<EmailImportRequest>().toEqualTypeOf<UserEmails[]>();
    expectTypeOf<UserEmails["handlerType"]>().toEqualTypeOf<1 | 2 | 3>();
    expectTypeOf<Email["recipientsCc"]>().toEqualTypeOf<{ address: string; name: string }[] | undefined>();
    expectTypeOf<EmailImportResult["operationStats"]["received"]>().toEqualTypeOf<number>();
    // The vendor's sample is cut after alreadyProc…: further statistics are allowed.
    expectTypeOf<{ syncDate: string; received: 1; added: 1; alreadyProcessed: 0 }>().toExtend<
      EmailImportResult["operationStats"]
    >();
  });

  it("check the emails body", () => {
    const typed = () => {
      void client.POST("/emails", {
        body: [
          {
            userId: 6045,
            handlerType: 1,
            emails: [{ uniqueId: "<m@x>", ...dates, sender: jane, recipientsTo: [john] }],
          },
        ],
      });
      // @ts-expect-error: userId is an integer, not an email address
      void client.POST("/emails", { body: [{ userId: "jane@example.com", handlerType: 1, emails: [] }] });
      // @ts-expect-error: handlerType is 1 (RI), 2 (DQA) or 3 (RI & DQA)
      void client.POST("/emails", { body: [{ userId: 6045, handlerType: 4, emails: [] }] });
      void client.POST("/emails", {
        body: [
          {
            userId: 6045,
            handlerType: 1,
            // @ts-expect-error: the sample's casing is uniqueId; the field table's uniqueID is not modelled
            emails: [{ uniqueID: "<m@x>", ...dates, sender: jane, recipientsTo: [john] }],
          },
        ],
      });
      void client.POST("/emails", {
        body: [
          {
            userId: 6045,
            handlerType: 1,
            // @ts-expect-error: the sample's casing is recipientsCc; the field table's recipientsCC is not modelled
            emails: [{ uniqueId: "<m@x>", ...dates, sender: jane, recipientsTo: [john], recipientsCC: [] }],
          },
        ],
      });
      void client.POST("/emails", {
        body: [
          {
            userId: 6045,
            handlerType: 1,
            // @ts-expect-error: a participant needs a name besides the address
            emails: [{ uniqueId: "<m@x>", ...dates, sender: { address: "jane@example.com" }, recipientsTo: [john] }],
          },
        ],
      });
      // @ts-expect-error: the body is an array of users' emails, even for one user
      void client.POST("/emails", { body: { userId: 6045, handlerType: 1, emails: [] } });
      // @ts-expect-error: the body is required
      void client.POST("/emails", {});
    };
    void typed;
  });

  it("check the status query and the paths", () => {
    const typed = () => {
      void client.GET("/status");
      void client.GET("/status", { params: { query: { userIds: [8278, 6045] } } });
      void client.GET("/settings");
      void client.POST("/meetings", { body: [{ anything: "the shape is unknown" }] });
      // @ts-expect-error: userIds are integers
      void client.GET("/status", { params: { query: { userIds: ["x"] } } });
      // @ts-expect-error: userIds is an array, even for one user
      void client.GET("/status", { params: { query: { userIds: 8278 } } });
      // @ts-expect-error: the parameter is userIds, not userIDs
      void client.GET("/status", { params: { query: { userIDs: [8278] } } });
      // @ts-expect-error: not a path of the RI Import API (emails are imported at /emails)
      void client.POST("/email", { body: [] });
      // @ts-expect-error: emails are imported with POST only
      void client.GET("/emails", {});
    };
    void typed;
  });

  it("type the responses", () => {
    const typed = async () => {
      const status = await client.GET("/status");
      expectTypeOf(status.data).toExtend<ImportStatus[] | undefined>();
      const imported = await client.POST("/emails", { body: [] });
      expectTypeOf(imported.data).toExtend<EmailImportResult[] | undefined>();
      // No public source shows these answers: they stay unknown rather than guessed.
      const settings = await client.GET("/settings");
      expectTypeOf(settings.data).toBeUnknown();
      const meetings = await client.POST("/meetings", { body: [] });
      expectTypeOf(meetings.data).toBeUnknown();
      if (status.error) expectTypeOf(status.error).toEqualTypeOf<ErrorBody>();
    };
    void typed;
  });
});
