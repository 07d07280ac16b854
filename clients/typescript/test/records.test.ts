// The README's comment example: a response with a comment, then this month's detractors through ListResponses.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { createNpsClient, NpsWriter, ScoreCategory, type ResponseRecord } from "../src/index.js";
import { serverAddress, uniqueId } from "./support.js";

describe("comments and records", () => {
  it("lists this month's detractor with what they wrote", async () => {
    const client = createNpsClient(serverAddress());
    const productId = uniqueId("comments");
    const detractors: ResponseRecord[] = [];
    // README: comments
    const writer = new NpsWriter(client);
    await writer.add({ productId, score: 3, segments: { region: "eu" }, respondentId: "customer-42",
      comment: "Checkout is slow", languageCode: "en" });
    await writer.close(); // every response acknowledged: counted, and recorded with its comment

    const now = new Date();
    const startTime = timestampFromDate(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)));
    let pageToken = "";
    do { // newest first, page by page
      const page = await client.listResponses({ productId, startTime, categories: [ScoreCategory.DETRACTOR], pageToken });
      detractors.push(...page.records);
      pageToken = page.nextPageToken;
    } while (pageToken);
    // README: end
    assert.deepEqual(detractors.map((r) => [r.respondentId, r.score, r.comment, r.languageCode, r.segments.region]),
      [["customer-42", 3, "Checkout is slow", "en", "eu"]]);
  });
});
