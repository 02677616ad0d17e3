// Compile-time specifications: `pnpm typecheck` fails if a line marked @ts-expect-error stops being an error.
import { describe, expectTypeOf, it } from "vitest";
import {
  createPublicationsClient,
  type AcknowledgeRequest,
  type DataCellsUpdated,
  type DataRowsCreated,
  type DataRowsUpdated,
  type ErrorBody,
  type EventRow,
  type PollRequest,
  type PublicationEvent,
  type SchemaEntryTypeCreated,
  type TopicOffset,
  type UserGroupEntity,
} from "../src/index.js";

const client = createPublicationsClient({ baseUrl: "https://acme.dealcloud.com", clientId: 1, clientSecret: "s" });

describe("the Publications API types", () => {
  it("model the poll and acknowledge bodies in the vendor's PascalCase", () => {
    expectTypeOf<PollRequest>().toEqualTypeOf<{ Topics: string[]; TimeOut: number; Count: number }>();
    expectTypeOf<TopicOffset>().toEqualTypeOf<{ Name: string; Offset: number }>();
    expectTypeOf<AcknowledgeRequest>().toEqualTypeOf<TopicOffset[]>();
    // An updated row: PascalCase envelope keys plus any field apiName.
    expectTypeOf<{ EntryId: 2772624; EntryListId: 2011; CompanyName: "Acme Corp" }>().toExtend<EventRow>();
    expectTypeOf<PublicationEvent["topicOffset"]>().toEqualTypeOf<number>();
  });

  it("check the poll body", () => {
    const typed = () => {
      void client.POST("/poll", { body: { Topics: ["default-data", "default-schema"], TimeOut: 60000, Count: 5 } });
      // @ts-expect-error: TimeOut is a number of milliseconds, not a duration string
      void client.POST("/poll", { body: { Topics: ["default-data"], TimeOut: "60s", Count: 5 } });
      // @ts-expect-error: the body is PascalCase: Topics, not topics
      void client.POST("/poll", { body: { topics: ["default-data"], TimeOut: 60000, Count: 5 } });
      // @ts-expect-error: the body is PascalCase: TimeOut, not timeout
      void client.POST("/poll", { body: { Topics: ["default-data"], timeout: 60000, Count: 5 } });
      // @ts-expect-error: Topics is an array, even for one topic
      void client.POST("/poll", { body: { Topics: "default-data", TimeOut: 60000, Count: 5 } });
      // @ts-expect-error: Count is required
      void client.POST("/poll", { body: { Topics: ["default-data"], TimeOut: 60000 } });
      // @ts-expect-error: the body is required
      void client.POST("/poll", {});
    };
    void typed;
  });

  it("check the acknowledge body and the paths", () => {
    const typed = () => {
      void client.POST("/acknowledge", { body: [{ Name: "default-data", Offset: 43 }] });
      // @ts-expect-error: the body is an array of topic offsets, even for one topic
      void client.POST("/acknowledge", { body: { Name: "default-data", Offset: 43 } });
      // @ts-expect-error: the keys are PascalCase: Name and Offset, not name and offset
      void client.POST("/acknowledge", { body: [{ name: "default-data", offset: 43 }] });
      // @ts-expect-error: Offset is an integer, not a string
      void client.POST("/acknowledge", { body: [{ Name: "default-data", Offset: "43" }] });
      // @ts-expect-error: polling is a POST, there is no GET /poll
      void client.GET("/poll", {});
      // @ts-expect-error: not a path of the Publications API (creating topics is not known to exist)
      void client.POST("/topics", { body: { Name: "my-topic" } });
    };
    void typed;
  });

  it("type the responses", () => {
    const typed = async () => {
      const polled = await client.POST("/poll", { body: { Topics: ["default-data"], TimeOut: 60000, Count: 5 } });
      expectTypeOf(polled.data).toExtend<PublicationEvent[] | undefined>();
      const event = polled.data?.[0];
      if (event) {
        expectTypeOf(event.payload.entities.created).toExtend<
          (DataRowsCreated | SchemaEntryTypeCreated | UserGroupEntity)[] | undefined
        >();
        expectTypeOf(event.payload.entities.updated).toExtend<
          (DataRowsUpdated | DataCellsUpdated | UserGroupEntity)[] | undefined
        >();
        expectTypeOf(event.topicName).toEqualTypeOf<string>();
      }
      const acknowledged = await client.POST("/acknowledge", { body: [{ Name: "default-data", Offset: 43 }] });
      expectTypeOf(acknowledged.data).toEqualTypeOf<undefined>();
      if (polled.error) expectTypeOf(polled.error).toEqualTypeOf<ErrorBody>();
      if (acknowledged.error) expectTypeOf(acknowledged.error).toEqualTypeOf<ErrorBody>();
    };
    void typed;
  });
});
