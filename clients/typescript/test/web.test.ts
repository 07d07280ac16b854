// createNpsWebClient: gRPC-Web over fetch, as a page calls the server, against the live server's browser
// endpoint (HTTP/1.1) and its TLS twin (one endpoint serving HTTP/1.1 and HTTP/2).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { createNpsWebClient, outcomes, ResponseOutcome, type SubmitResponsesResponse } from "../src/web.js";
import { createNpsClient } from "../src/index.js";
import { secureServer, serverAddress, uniqueId, waitFor, webAddress } from "./support.js";

const isCode = (code: Code) => (error: unknown) => ConnectError.from(error).code === code;

/** What a survey widget does when the customer presses "Send": one call, re-sent as it is until it is answered. */
async function widget(baseUrl: string, productId: string, score: number, comment: string): Promise<SubmitResponsesResponse> {
  // README: widget
  const client = createNpsWebClient(baseUrl); // the server's browser endpoint, e.g. http://127.0.0.1:5080
  const writerId = `widget-${crypto.randomUUID()}`; // one per page: its calls go one at a time
  const request = { writerId, sequence: 1n, responses: [{ productId, score, comment, languageCode: "en" }] };
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.submitResponseBatch(request); // counted once, however often it is sent
    } catch (error) {
      if (ConnectError.from(error).code !== Code.Unavailable || attempt === 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
  // README: end
}

describe("createNpsWebClient (gRPC-Web)", () => {
  it("posts a widget's answer and reads the score through the browser endpoint", async () => {
    const baseUrl = `http://${webAddress()}`;
    const productId = uniqueId("widget");
    const ack = await widget(baseUrl, productId, 3, "The checkout kept timing out");
    const { score } = await createNpsWebClient(baseUrl).getScore({ productId });
    assert.deepEqual([ack.acceptedCount, ack.duplicate, score?.total, score?.detractors], [1, false, 1n, 1n]);
  });

  it("answers a call sent again as a duplicate, with the acknowledgement the gRPC port gives", async () => {
    const web = createNpsWebClient(`http://${webAddress()}`);
    const grpc = createNpsClient(serverAddress());
    const [productId, twin] = [uniqueId("web-resend"), uniqueId("grpc-resend")];
    const request = (product: string) => ({
      writerId: "web-resend-writer",
      sequence: 7n,
      responses: [{ productId: product, score: 10 }, { productId: product, score: 11 }, { productId: product, score: 6 }],
    });
    const first = await web.submitResponseBatch(request(productId));
    const again = await web.submitResponseBatch(request(productId));
    const overGrpc = await grpc.submitResponseBatch(request(twin));
    assert.deepEqual(first, overGrpc);
    assert.deepEqual(outcomes(first), [ResponseOutcome.COUNTED, ResponseOutcome.REJECTED, ResponseOutcome.COUNTED]);
    assert.deepEqual([again.duplicate, again.alreadyAppliedCount], [true, 2]);
    const { score } = await web.getScore({ productId });
    assert.equal(score?.total, 2n);
  });

  it("streams a server-streaming call: a follow-up worker in a page gets the detractor posted after it opened", async () => {
    const web = createNpsWebClient(`http://${webAddress()}`);
    const productId = uniqueId("web-follow-up");
    const abort = new AbortController();
    let open = false;
    const stream = web.streamFollowUps(
      { group: "web-care", consumer: "page", productIds: [productId] },
      { signal: abort.signal, onHeader: () => { open = true; } },
    )[Symbol.asyncIterator]();
    const first = stream.next(); // sends the call; its headers come once the group exists on the product
    await waitFor("the stream's headers", () => open);
    await web.submitResponseBatch({ responses: [{ productId, score: 1, comment: "Nobody called back" }] });
    const delivered = await first;
    abort.abort();
    assert.ok(!delivered.done, "the stream ended without a delivery");
    assert.deepEqual(delivered.value.deliveries.map((d) => [d.record?.productId, d.record?.score, d.record?.comment]),
      [[productId, 1, "Nobody called back"]]);
  });

  it("carries the API key over TLS to an endpoint serving HTTP/1.1 and HTTP/2, and is refused without it", async () => {
    const { address, apiKey } = secureServer(); // its CA is trusted through NODE_EXTRA_CA_CERTS (test.sh)
    const productId = uniqueId("web-tls");
    const withKey = createNpsWebClient(`https://${address}`, { apiKey });
    const ack = await withKey.submitResponseBatch({ responses: [{ productId, score: 9 }] });
    const { score } = await withKey.getScore({ productId });
    assert.deepEqual([ack.acceptedCount, score?.total], [1, 1n]);
    await assert.rejects(createNpsWebClient(`https://${address}`).getScore({ productId }), isCode(Code.Unauthenticated));
  });

  it("sends an API key only over https or to this machine", () => {
    assert.throws(() => createNpsWebClient("http://nps.example:5080", { apiKey: "secret" }), /only sent over TLS or to this machine/);
    for (const local of ["http://127.0.0.1:5080", "http://localhost:5080", "http://[::1]:5080", "https://nps.example"]) {
      assert.doesNotThrow(() => createNpsWebClient(local, { apiKey: "secret" }));
    }
  });

  it("is a browser entry point: nothing it loads imports Node.js modules", () => {
    // Compiled to dist/test/: the entry point is dist/src/web.js; follow its relative imports.
    const src = join(dirname(fileURLToPath(import.meta.url)), "..", "src");
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const [, specifier] of readFileSync(file, "utf8").matchAll(/(?:import|export)[^;]*?from\s+"([^"]+)"/g)) {
        assert.ok(!specifier.startsWith("node:") && specifier !== "@connectrpc/connect-node", `${file} imports ${specifier}`);
        if (specifier.startsWith(".")) visit(join(dirname(file), specifier));
      }
    };
    visit(join(src, "web.js"));
    assert.ok(seen.has(join(src, "gen", "nps", "v1", "nps_pb.js")), "the walk did not reach the generated code");
  });
});
