// Compile-time specifications: `pnpm typecheck` fails if a line marked @ts-expect-error stops being an error.
import { describe, expectTypeOf, it } from "vitest";
import {
  createPublicationsClient,
  type AcknowledgeRequest,
  type DataCellsUpdated,
  type DataEvent,
  type DataRowsCreated,
  type DataRowsUpdated,
  type ErrorBody,
  type EventRow,
  type PollRequest,
  type PublicationEvent,
  type SchemaEntryTypeCreated,
  type SchemaEvent,
  type TopicOffset,
  type UserGroupEntity,
  type UserGroupsEvent,
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
          DataRowsCreated[] | SchemaEntryTypeCreated[] | UserGroupEntity[] | undefined
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

  it("narrow an event by entityType, without casts", () => {
    const narrow = (event: PublicationEvent) => {
      switch (event.entityType) {
        case "Data":
          expectTypeOf(event).toEqualTypeOf<DataEvent>();
          expectTypeOf(event.payload.entities.created).toEqualTypeOf<DataRowsCreated[] | undefined>();
          expectTypeOf(event.payload.entities.updated).toEqualTypeOf<
            (DataRowsUpdated | DataCellsUpdated)[] | undefined
          >();
          break;
        case "EntryLists":
          expectTypeOf(event).toEqualTypeOf<SchemaEvent>();
          expectTypeOf(event.payload.entities.created).toEqualTypeOf<SchemaEntryTypeCreated[] | undefined>();
          // @ts-expect-error: schema events show no updated items, so none are typed
          void event.payload.entities.updated;
          break;
        case "UserGroups":
          expectTypeOf(event).toEqualTypeOf<UserGroupsEvent>();
          expectTypeOf(event.payload.entities.updated).toEqualTypeOf<UserGroupEntity[] | undefined>();
          break;
        default:
          expectTypeOf(event).toBeNever();
      }
      // @ts-expect-error: "Users" is not an entity type the vendor's samples show
      if (event.entityType === "Users") return;
      // The envelope is common to every event.
      expectTypeOf(event.topicOffset).toEqualTypeOf<number>();
    };
    void narrow;
  });

  it("narrow an updated entity with `in`, whatever the event", () => {
    const narrow = (event: PublicationEvent) => {
      const entities = event.payload.entities;
      // @ts-expect-error: schema events show no updated items, so check the event or the key first
      void entities.updated;
      if (!("updated" in entities)) return;
      for (const updated of entities.updated ?? []) {
        expectTypeOf(updated).toEqualTypeOf<DataRowsUpdated | DataCellsUpdated | UserGroupEntity>();
        if ("entryFields" in updated) {
          expectTypeOf(updated).toEqualTypeOf<DataRowsUpdated | DataCellsUpdated>();
          if ("entryListId" in updated) {
            expectTypeOf(updated).toEqualTypeOf<DataRowsUpdated>();
            expectTypeOf(updated.entryFields[0]!.EntryId).toEqualTypeOf<number>();
          } else expectTypeOf(updated).toEqualTypeOf<DataCellsUpdated>();
        } else {
          expectTypeOf(updated).toEqualTypeOf<UserGroupEntity>();
          // @ts-expect-error: a user group has no entryFields
          void updated.entryFields;
        }
      }
      for (const created of event.payload.entities.created ?? []) {
        if ("entries" in created) expectTypeOf(created).toEqualTypeOf<DataRowsCreated>();
        else if ("apiName" in created) expectTypeOf(created).toEqualTypeOf<SchemaEntryTypeCreated>();
        else expectTypeOf(created).toEqualTypeOf<UserGroupEntity>();
      }
    };
    void narrow;
  });
});
