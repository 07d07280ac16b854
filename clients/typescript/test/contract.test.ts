// Contract tests with the raw generated client (no helper) against a live server.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import {
  NpsService,
  RejectionReason,
  ResponseOutcome,
  SubmitResponsesRequestSchema,
  type SubmitResponsesRequest,
  type SubmitResponsesResponse,
} from "../src/gen/nps/v1/nps_pb.js";
import { outcomes } from "../src/outcomes.js";
import { serverAddress, uniqueId } from "./support.js";

const client = createClient(NpsService, createGrpcTransport({ baseUrl: `http://${serverAddress()}` }));

/** Sends the requests on one SubmitResponses stream and collects every acknowledgement. */
async function submit(...requests: SubmitResponsesRequest[]): Promise<SubmitResponsesResponse[]> {
  const acks: SubmitResponsesResponse[] = [];
  async function* stream() {
    yield* requests;
  }
  for await (const ack of client.submitResponses(stream())) acks.push(ack);
  return acks;
}

function scores(productId: string, ...counts: [score: number, count: number][]) {
  return counts.flatMap(([score, count]) => Array.from({ length: count }, () => ({ productId, score })));
}

describe("contract (generated client)", () => {
  it("scores the reference example: 450 promoters, 300 passives, 250 detractors is NPS 20", async () => {
    const product = uniqueId("reference");
    const acks = await submit(
      create(SubmitResponsesRequestSchema, {
        writerId: uniqueId("writer"),
        sequence: 1n,
        responses: scores(product, [10, 450], [8, 300], [3, 250]),
      }),
    );
    assert.equal(acks.length, 1);
    assert.equal(acks[0].sequence, 1n);
    assert.equal(acks[0].acceptedCount, 1000);
    assert.equal(acks[0].duplicate, false);
    assert.deepEqual(acks[0].rejected, []);

    const { score } = await client.getScore({ productId: product });
    assert.ok(score);
    assert.equal(score.nps, 20);
    assert.equal(score.total, 1000n);
    assert.equal(score.promoters, 450n);
    assert.equal(score.passives, 300n);
    assert.equal(score.detractors, 250n);
    assert.equal(score.promoterPercent, 45);
    assert.equal(score.detractorPercent, 25);
    assert.deepEqual(score.distribution, [0n, 0n, 0n, 250n, 0n, 0n, 0n, 0n, 300n, 0n, 450n]);
  });

  it("acknowledges a re-sent batch (same writer and sequence) as a duplicate and counts it once", async () => {
    const product = uniqueId("duplicate");
    const batch = create(SubmitResponsesRequestSchema, {
      writerId: uniqueId("writer"),
      sequence: 7n,
      responses: scores(product, [9, 3], [6, 1]),
    });
    const [first] = await submit(batch);
    assert.equal(first.duplicate, false);
    assert.equal(first.acceptedCount, 4);

    // Once on a new stream (as after a reconnect), once more on the same stream, plus an older sequence.
    const older = create(SubmitResponsesRequestSchema, { ...batch, sequence: 3n });
    const again = await submit(batch, batch, older);
    assert.deepEqual(again.map((a) => [a.sequence, a.duplicate, a.acceptedCount]), [[7n, true, 4], [7n, true, 4], [3n, true, 4]]);

    const { score } = await client.getScore({ productId: product });
    assert.equal(score?.total, 4n);
    assert.equal(score?.promoters, 3n);
    assert.equal(score?.detractors, 1n);
  });

  it("rejects a score of 11 in the acknowledgement while the rest of the batch counts", async () => {
    const product = uniqueId("rejection");
    const responses = [...scores(product, [10, 2]), { productId: product, score: 11 }, ...scores(product, [0, 1]), { productId: product }];
    const batch = create(SubmitResponsesRequestSchema, { writerId: uniqueId("writer"), sequence: 1n, responses });
    const [ack] = await submit(batch);
    const [again] = await submit(batch);
    assert.equal(ack.acceptedCount, 3);
    const { COUNTED, REJECTED, ALREADY_APPLIED } = ResponseOutcome;
    assert.deepEqual(outcomes(ack), [COUNTED, COUNTED, REJECTED, COUNTED, REJECTED]);
    assert.deepEqual([again.duplicate, again.alreadyAppliedCount], [true, 3]);
    assert.deepEqual(outcomes(again), [ALREADY_APPLIED, ALREADY_APPLIED, REJECTED, ALREADY_APPLIED, REJECTED]);
    assert.deepEqual(
      ack.rejected.map((r) => [r.index, r.field, r.reason]),
      [
        [2, "responses[2].score", RejectionReason.SCORE_OUT_OF_RANGE],
        [4, "responses[4].score", RejectionReason.MISSING_SCORE],
      ],
    );
    assert.ok(ack.rejected[0].description.length > 0);

    const { score } = await client.getScore({ productId: product });
    assert.equal(score?.total, 3n);
    assert.deepEqual(score?.distribution, [1n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 2n]);
  });

  it("answers GetScore of an unknown product with NOT_FOUND", async () => {
    await assert.rejects(client.getScore({ productId: uniqueId("never-submitted") }), (error) => {
      assert.ok(error instanceof ConnectError);
      assert.equal(error.code, Code.NotFound);
      return true;
    });
  });

  it("ends the stream with INVALID_ARGUMENT for a writer without a sequence, counting nothing", async () => {
    const product = uniqueId("malformed");
    await assert.rejects(
      submit(create(SubmitResponsesRequestSchema, { writerId: uniqueId("writer"), responses: scores(product, [10, 1]) })),
      (error) => error instanceof ConnectError && error.code === Code.InvalidArgument,
    );
    await assert.rejects(client.getScore({ productId: product }), (error) => ConnectError.from(error).code === Code.NotFound);
  });
});
