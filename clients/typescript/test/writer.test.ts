// NpsWriter against a live server: happy path, rejections, errors, and dropped connections via a TCP proxy.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { createNpsClient, NpsWriter, RejectionReason, type NpsClient, type Rejection } from "../src/index.js";
import { DroppingProxy, serverAddress, uniqueId, waitFor } from "./support.js";

const direct = createNpsClient(serverAddress());

/** What the tests submitted, per product and per segment label, to compare with the server's counters. */
class Expected {
  readonly histograms = new Map<string, bigint[]>();

  count(productId: string, score: number, segments: Record<string, string> = {}): void {
    for (const segment of ["", ...Object.entries(segments).map(([k, v]) => `${k}=${v}`)]) {
      const key = `${productId}|${segment}`;
      const histogram = this.histograms.get(key) ?? Array<bigint>(11).fill(0n);
      histogram[score]++;
      this.histograms.set(key, histogram);
    }
  }

  /** Reads every product and segment back from the server and asserts the exact distributions. */
  async assertServerMatches(): Promise<void> {
    for (const [key, histogram] of this.histograms) {
      const [productId, segment] = key.split("|");
      const { score } = await direct.getScore({ productId, segment });
      assert.deepEqual(score?.distribution, histogram, `distribution of ${key}`);
      assert.equal(score?.total, histogram.reduce((a, b) => a + b), `total of ${key}`);
    }
  }
}

async function serverTotal(productIds: string[]): Promise<bigint> {
  let total = 0n;
  for (const productId of productIds) {
    try {
      total += (await direct.getScore({ productId })).score?.total ?? 0n;
    } catch (error) {
      if (ConnectError.from(error).code !== Code.NotFound) throw error;
    }
  }
  return total;
}

describe("NpsWriter", () => {
  it("submits responses over several products in batches and every one is counted exactly", async () => {
    const products = [uniqueId("happy-a"), uniqueId("happy-b"), uniqueId("happy-c")];
    const expected = new Expected();
    const writer = new NpsWriter(direct, { maxBatchSize: 100 });
    assert.match(writer.writerId, /^typescript-[0-9a-f-]{36}$/);
    const n = 2345;
    for (let i = 0; i < n; i++) {
      const productId = products[i % 3];
      const score = (i * 7) % 11;
      const segments = { region: i % 2 ? "eu" : "us", plan: `p${i % 3}` };
      expected.count(productId, score, segments);
      await writer.add({ productId, score, segments });
    }
    await writer.close();
    assert.deepEqual(writer.stats, {
      accepted: n, rejected: 0, replaced: 0, superseded: 0, duplicates: 0, reconnects: 0, batches: Math.ceil(n / 100),
    });
    await expected.assertServerMatches();
    await assert.rejects(writer.add({ productId: products[0], score: 1 }), /closed/);
  });

  it("sends a partial batch after maxDelayMs without a flush, and flush waits for the acknowledgement", async () => {
    const product = uniqueId("timer");
    const writer = new NpsWriter(direct, { maxDelayMs: 20, firstSequence: 42n });
    await writer.add({ productId: product, score: 9 });
    await writer.add({ productId: product, score: 10 });
    await waitFor("the timed batch to be acknowledged", () => writer.stats.batches === 1);
    assert.equal(writer.stats.accepted, 2);
    await writer.add({ productId: product, score: 7 });
    await writer.add({ productId: product, score: 0 });
    await writer.flush();
    assert.equal(writer.stats.batches, 2);
    assert.equal(writer.unacknowledged, 0);
    const { score } = await direct.getScore({ productId: product });
    assert.equal(score?.total, 4n);
    assert.equal(score?.nps, 25);
    await writer.close();
  });

  it("surfaces rejected responses with their index, field, reason and the response itself", async () => {
    const product = uniqueId("rejected");
    const rejections: Rejection[] = [];
    const writer = new NpsWriter(direct, { maxBatchSize: 4, onRejected: (r) => rejections.push(r) });
    const inputs = [
      { productId: product, score: 10 },
      { productId: product, score: 11 },
      { productId: "not a valid id!", score: 5 },
      { productId: product, score: 3 },
      { productId: product },
      { productId: product, score: 7, segments: { "bad key!": "x" } },
    ];
    for (const input of inputs) await writer.add(input);
    await writer.close();

    assert.deepEqual(
      rejections.map((r) => [r.index, r.field, r.reason, r.response.productId, r.response.score]),
      [
        [1, "responses[1].score", RejectionReason.SCORE_OUT_OF_RANGE, product, 11],
        [2, "responses[2].product_id", RejectionReason.INVALID_PRODUCT_ID, "not a valid id!", 5],
        [0, "responses[0].score", RejectionReason.MISSING_SCORE, product, undefined],
        [1, "responses[1].segments[bad key!]", RejectionReason.INVALID_SEGMENT_KEY, product, 7],
      ],
    );
    assert.equal(rejections[0].sequence + 1n, rejections[2].sequence);
    assert.equal(writer.stats.accepted, 2);
    assert.equal(writer.stats.rejected, 4);
    const { score } = await direct.getScore({ productId: product });
    assert.deepEqual(score?.distribution, [0n, 0n, 0n, 1n, 0n, 0n, 0n, 0n, 0n, 0n, 1n]);
  });

  it("surfaces a non-retriable status as a ConnectError without reconnecting", async () => {
    const writer = new NpsWriter(direct, { writerId: "spaces are not allowed", maxDelayMs: 5 });
    await writer.add({ productId: uniqueId("invalid-writer"), score: 9 });
    await assert.rejects(writer.flush(), (error) => error instanceof ConnectError && error.code === Code.InvalidArgument);
    assert.equal(writer.stats.reconnects, 0);
    await assert.rejects(writer.add({ productId: "x", score: 1 }), (error) => ConnectError.from(error).code === Code.InvalidArgument);
    await assert.rejects(writer.close(), (error) => ConnectError.from(error).code === Code.InvalidArgument);
  });

  it("gives up with UNAVAILABLE after maxReconnectAttempts when nothing answers", async () => {
    const proxy = new DroppingProxy(serverAddress());
    const address = await proxy.start();
    await proxy.stop(); // nothing listens there any more: every attempt is refused
    const writer = new NpsWriter(createNpsClient(address), { initialBackoffMs: 1, maxBackoffMs: 5, maxReconnectAttempts: 3 });
    await writer.add({ productId: uniqueId("refused"), score: 9 });
    await assert.rejects(writer.close(), (error) => error instanceof ConnectError && error.code === Code.Unavailable);
    assert.equal(writer.stats.reconnects, 3);
  });

  describe("dropped connections", () => {
    let proxy: DroppingProxy;
    let client: NpsClient;
    before(async () => {
      proxy = new DroppingProxy(serverAddress());
      client = createNpsClient(await proxy.start());
    });
    after(() => proxy.stop());

    it("loses and double-counts nothing when every connection is cut three times mid-stream", async () => {
      const products = [uniqueId("drop-a"), uniqueId("drop-b"), uniqueId("drop-c"), uniqueId("drop-d")];
      const expected = new Expected();
      const writer = new NpsWriter(client, {
        maxBatchSize: 40,
        maxDelayMs: 20,
        maxInFlight: 8,
        initialBackoffMs: 20,
        maxBackoffMs: 200,
      });
      const n = 6000;
      const cuts: { at: number; inFlight: number; cut: number }[] = [];
      // Cuts only while a batch is sent and unacknowledged; if none is, the maxDelayMs timer sends one soon.
      const cutInFlight = async (at: number, how: "reset" | "close") => {
        await waitFor("a batch in flight", () => writer.inFlight > 0);
        cuts.push({ at, inFlight: writer.inFlight, cut: proxy.cutAll(how) });
      };
      for (let i = 0; i < n; i++) {
        if (i === 1500) {
          // A TCP reset while batches are in flight.
          await cutInFlight(i, "reset");
        } else if (i === 3000) {
          // The server applies the in-flight batches but their acknowledgements are lost, then the connection
          // dies: the re-sent batches must come back as duplicates.
          await waitFor("a batch in flight", () => writer.inFlight > 0);
          proxy.holdResponses();
          await waitFor("the server to count batches whose acks were held back", async () => {
            return (await serverTotal(products)) > BigInt(writer.stats.accepted);
          });
          await cutInFlight(i, "reset");
        } else if (i === 4500) {
          // A plain close (FIN) instead of a reset: the stream just ends.
          await cutInFlight(i, "close");
        }
        const productId = products[i % products.length];
        const score = (i * 13 + (i >> 4)) % 11;
        const segments = { region: ["eu", "us", "apac"][i % 3] };
        expected.count(productId, score, segments);
        await writer.add({ productId, score, segments });
      }
      await writer.close();

      console.log(`dropped-connection test: cuts ${JSON.stringify(cuts)}, writer stats ${JSON.stringify(writer.stats)}, proxy accepted ${proxy.accepted} connections`);
      for (const cut of cuts) {
        assert.ok(cut.cut >= 1, `a connection was open to cut at response ${cut.at}`);
        assert.ok(cut.inFlight >= 1, `batches were in flight at response ${cut.at}`);
      }
      assert.ok(writer.stats.reconnects >= 3, `reconnected after each cut (${writer.stats.reconnects})`);
      assert.ok(proxy.accepted >= 4, `the proxy saw new connections (${proxy.accepted})`);
      assert.ok(writer.stats.duplicates >= 1, "batches whose acks were lost came back as duplicates");
      assert.equal(writer.stats.accepted, n);
      assert.equal(writer.stats.rejected, 0);
      assert.equal(await serverTotal(products), BigInt(n));
      await expected.assertServerMatches();
    });
  });
});
