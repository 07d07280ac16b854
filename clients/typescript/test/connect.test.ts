// createNpsClient with TLS, an API key and several instances, against the live server's TLS + API key twin.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { createNpsClient, isCertificateFailure, isRetriable, NpsWriter, type NpsClient } from "../src/index.js";
import { DroppingProxy, secureServer, serverAddress, uniqueId, waitFor, withWrongCa } from "./support.js";

/** The README's client for one or several instances with TLS and an API key. */
function productionClient(addresses: string[], caFile: string, apiKey: string): NpsClient {
  // README: production
  const client = createNpsClient(
    addresses.map((address) => `https://${address}`), // one "host:port", or several instances to fail over between
    {
      ca: readFileSync(caFile), // a private CA's certificate (PEM); leave it out to trust Node's CAs
      apiKey, // sent as "authorization: Bearer <key>" on every call
    },
  );
  // README: end
  return client;
}

const isCode = (code: Code) => (error: unknown) => ConnectError.from(error).code === code;

describe("createNpsClient", () => {
  it("submits and reads over TLS with an API key", async () => {
    const { address, caFile, apiKey } = secureServer();
    const client = productionClient([address], caFile, apiKey);
    const productId = uniqueId("tls");
    const writer = new NpsWriter(client);
    for (const score of [10, 9, 3]) await writer.add({ productId, score });
    await writer.close();
    const { score } = await client.getScore({ productId });
    assert.deepEqual([writer.stats.accepted, score?.total, score?.promoters, score?.detractors], [3, 3n, 2n, 1n]);
  });

  it("without the API key gets UNAUTHENTICATED, which the writer surfaces without reconnecting", async () => {
    const { address, caFile } = secureServer();
    const client = createNpsClient(`https://${address}`, { ca: readFileSync(caFile) });
    await assert.rejects(client.getScore({ productId: uniqueId("nokey") }), isCode(Code.Unauthenticated));
    const writer = new NpsWriter(client);
    await writer.add({ productId: uniqueId("nokey"), score: 9 });
    await assert.rejects(writer.flush(), isCode(Code.Unauthenticated));
    assert.equal(writer.stats.reconnects, 0);
    await assert.rejects(writer.close(), isCode(Code.Unauthenticated));
  });

  it("with a CA that did not sign the server's certificate fails as final, and the writer surfaces it without reconnecting", async () => {
    const { address, apiKey } = secureServer();
    await withWrongCa(async (wrongCa) => {
      const client = createNpsClient(`https://${address}`, { ca: readFileSync(wrongCa), apiKey });
      const error = await client.getScore({ productId: uniqueId("wrong-ca") }).then(() => undefined, (e: unknown) => e);
      assert.ok(isCertificateFailure(error), `a certificate failure: ${error}`);
      assert.equal(isRetriable(error), false, `final: ${error}`);
      const writer = new NpsWriter(client, { initialBackoffMs: 1000 });
      await writer.add({ productId: uniqueId("wrong-ca"), score: 9 });
      await assert.rejects(writer.flush(), isCertificateFailure);
      assert.equal(writer.stats.reconnects, 0);
      await assert.rejects(writer.close(), isCertificateFailure);
    });
  });

  it("classifies a refused connection as transient, not as a certificate failure", async () => {
    const down = new DroppingProxy(serverAddress());
    const address = await down.start();
    await down.stop(); // nothing listens there: every attempt is refused
    const client = createNpsClient(`https://${address}`);
    const error = await client.getScore({ productId: uniqueId("refused") }).then(() => undefined, (e: unknown) => e);
    assert.equal(isRetriable(error), true, `transient: ${error}`);
    assert.equal(isCertificateFailure(error), false, `not a certificate failure: ${error}`);
  });

  it("refuses an API key for a plaintext address, and an empty address list", () => {
    assert.throws(() => createNpsClient(serverAddress(), { apiKey: "secret" }), /only sent over TLS/);
    assert.throws(() => createNpsClient(["https://a:1", "http://b:2"], { apiKey: "secret" }), /only sent over TLS/);
    assert.throws(() => createNpsClient([]), /at least one address/);
  });

  it("moves reads to the next instance once one is unreachable", async () => {
    const down = new DroppingProxy(serverAddress());
    const address = await down.start();
    await down.stop(); // nothing listens there: an instance that is down
    const client = createNpsClient([address, serverAddress()]);
    await assert.rejects(client.getScore({ productId: uniqueId("down") }), isCode(Code.Unavailable));
    await assert.rejects(client.getScore({ productId: uniqueId("up") }), isCode(Code.NotFound)); // the server's answer
  });

  it("fails over when the instance carrying the writer dies, and every response counts exactly once", async () => {
    // Two TCP proxies in front of the TLS twin stand for two instances. While batches are in flight, the one
    // the writer streams through (the first: calls stay on one instance until it fails) is killed: it stops
    // listening and resets its connections.
    const { address, caFile, apiKey } = secureServer();
    const instances = [new DroppingProxy(address), new DroppingProxy(address)];
    const client = productionClient(await Promise.all(instances.map((p) => p.start())), caFile, apiKey);
    const products = [uniqueId("failover-a"), uniqueId("failover-b")];
    const expected = products.map(() => Array<bigint>(11).fill(0n));
    const writer = new NpsWriter(client, { maxBatchSize: 50, initialBackoffMs: 20, maxBackoffMs: 200 });
    const n = 4000;
    try {
      for (let i = 0; i < n; i++) {
        if (i === 1500) {
          await waitFor("a batch in flight", () => writer.inFlight > 0);
          assert.ok(instances[0].open > 0 && instances[1].accepted === 0, "the writer streams through the first");
          await instances[0].stop();
        }
        const score = (i * 3) % 11;
        expected[i % 2][score]++;
        await writer.add({ productId: products[i % 2], score });
      }
      await writer.close();
      console.log(`failover: writer ${JSON.stringify(writer.stats)}, instances accepted ${instances.map((p) => p.accepted)}`);
      assert.ok(writer.stats.reconnects >= 1, `reconnected (${writer.stats.reconnects})`);
      assert.ok(instances[1].accepted >= 1, "the second instance took over");
      assert.equal(writer.stats.accepted, n);
      for (const [i, productId] of products.entries()) {
        const { score } = await client.getScore({ productId }); // through the survivor
        assert.deepEqual(score?.distribution, expected[i], productId);
      }
    } finally {
      await instances[1].stop();
    }
  });
});
