// examples/follow-up-worker.ts against the live server: it must hand every detractor of its group to its handler
// and acknowledge it, also when its connection is cut while it works, and over TLS with an API key against the TLS
// twin; what the server says afterwards (GetFollowUpBacklog, ListResponses) is the proof. A wrong key or CA ends it.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { createNpsClient, FollowUpOutcome, NpsWriter, ScoreCategory } from "../src/index.js";
import { allRecords, DroppingProxy, secureFollowUpApiKey, secureServer, serverAddress, uniqueId, waitFor, withWrongCa } from "./support.js";

// Compiled to dist/test/: the compiled example is in dist/examples/.
const example = join(dirname(fileURLToPath(import.meta.url)), "..", "examples", "follow-up-worker.js");
const client = createNpsClient(serverAddress());
const consumer = "worker-1";

/** The example run as the README runs it, its output read line by line while it runs. */
class WorkerProcess {
  readonly lines: string[] = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;

  /** Runs the worker with `apiKey` as its NPS_API_KEY (none when undefined). */
  constructor(args: string[], apiKey?: string) {
    // Only what the test gives: a key or CA file from the developer's environment must not change the run.
    const { NPS_API_KEY: _key, NPS_SERVER_CA: _ca, ...env } = process.env;
    if (apiKey !== undefined) env.NPS_API_KEY = apiKey;
    this.child = spawn(process.execPath, [example, ...args], { stdio: ["ignore", "pipe", "pipe"], env });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      createInterface({ input: stream }).on("line", (line) => this.lines.push(line));
    }
    this.exited = new Promise((resolve) => this.child.on("close", resolve));
  }

  get output(): string {
    return this.lines.join("\n");
  }

  /** The records it says it acknowledged ("acknowledged product/record as CONTACTED"), in order. */
  get acknowledged(): string[] {
    return this.lines.map((l) => /^acknowledged (\S+) as CONTACTED$/.exec(l)?.[1]).filter((r): r is string => r !== undefined);
  }

  async exitCode(timeoutMs = 60000): Promise<number | null> {
    const timer = setTimeout(() => this.child.kill(), timeoutMs);
    try {
      const code = await this.exited;
      assert.ok(!this.child.signalCode, `the worker did not stop within ${timeoutMs} ms; it printed:\n${this.output}`);
      return code;
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
  }
}

/** Runs the worker until it exits by itself; returns it and its exit code. */
async function runWorker(args: string[], apiKey?: string, timeoutMs?: number): Promise<[WorkerProcess, number | null]> {
  const worker = new WorkerProcess(args, apiKey);
  try {
    return [worker, await worker.exitCode(timeoutMs)];
  } finally {
    worker.kill();
  }
}

function workerArguments(address: string, group: string, productId: string, start: Date, maxRecords: number): string[] {
  return ["--address", address, "--group", group, "--consumer", consumer, "--product", productId,
    "--max-records", String(maxRecords), "--start-time", start.toISOString()];
}

async function submitDetractors(productId: string, first: number, count: number): Promise<void> {
  const writer = new NpsWriter(client);
  for (let i = first; i < first + count; i++) await writer.add({ productId, score: i % 7, comment: `Detractor ${i}: the app crashed` });
  await writer.close();
}

async function detractorIds(productId: string): Promise<string[]> {
  return (await allRecords(client, productId, { categories: [ScoreCategory.DETRACTOR] })).map((r) => `${productId}/${r.recordId}`).sort();
}

/**
 * The server's view: nothing waits or is in progress, every detractor is done by this worker as contacted; and the
 * worker says it acknowledged exactly those.
 */
async function assertAllDone(worker: WorkerProcess, productId: string, group: string, count: number): Promise<void> {
  const detractors = await detractorIds(productId);
  assert.equal(detractors.length, count);
  assert.deepEqual([...new Set(worker.acknowledged)].sort(), detractors);
  const { backlogs } = await client.getFollowUpBacklog({ group, productIds: [productId] });
  assert.equal(backlogs.length, 1);
  const [backlog] = backlogs;
  assert.deepEqual([backlog.productId, backlog.waitingCount, backlog.inProgressCount, backlog.doneCount], [productId, 0n, 0n, BigInt(count)]);
  assert.equal(backlog.doneInIntervalCount, BigInt(count));
  assert.ok(backlog.medianTimeToDone, "a median time to done");
  for (const record of await allRecords(client, productId, { categories: [ScoreCategory.DETRACTOR] })) {
    assert.ok(record.followUps.some((f) => f.group === group && f.consumer === consumer &&
      f.outcome === FollowUpOutcome.CONTACTED && f.note === `called back by ${consumer}`), `record ${record.recordId} is done`);
  }
}

describe("the follow-up worker example", () => {
  it("acknowledges every detractor of its group, and the backlog shows them done", async () => {
    const productId = uniqueId("worker");
    const group = uniqueId("team");
    const start = new Date(Date.now() - 1000);
    const writer = new NpsWriter(client);
    for (let i = 0; i < 5; i++) await writer.add({ productId, score: i, comment: `Slow checkout, try ${i}` });
    await writer.add({ productId, score: 6 }); // a detractor who wrote nothing is followed up too
    await writer.add({ productId, score: 10, comment: "Love it" }); // recorded for its comment, not of the group's category
    await writer.add({ productId, score: 8 });
    await writer.close();

    const [worker, code] = await runWorker(workerArguments(serverAddress(), group, productId, start, 6));

    assert.equal(code, 0, worker.output);
    assert.ok(worker.lines.includes("handled 6 records"), worker.output);
    assert.ok(worker.lines.some((l) => l.startsWith(`record ${productId}/`) && l.endsWith(": Slow checkout, try 3")), worker.output);
    await assertAllDone(worker, productId, group, 6);
    const promoters = await allRecords(client, productId, { categories: [ScoreCategory.PROMOTER] });
    assert.deepEqual(promoters.map((r) => r.followUps.length), [0]);
  });

  it("resumes after its connection is cut twice, and every record ends acknowledged", async () => {
    const wave = 10;
    const productId = uniqueId("worker-drop");
    const group = uniqueId("team");
    const start = new Date(Date.now() - 1000);
    await submitDetractors(productId, 0, wave);
    const proxy = new DroppingProxy(serverAddress());
    const address = await proxy.start();
    // One delivery outstanding at a time: the worker is always in the middle of something when the cut comes.
    const worker = new WorkerProcess([...workerArguments(address, group, productId, start, 2 * wave), "--max-outstanding", "1"]);
    let code;
    try {
      await waitFor("the worker acknowledged three records", () => worker.acknowledged.length >= 3, 30000);
      // Swallow what the server sends next (a delivery, or the answer to an acknowledgement) before the cut: the
      // server holds a lease the worker never saw, or took an acknowledgement the worker must retry.
      proxy.holdResponses();
      await waitFor("the proxy swallowed the server's next bytes", () => proxy.swallowed > 0, 30000);
      proxy.cutAll();
      await waitFor("the worker reconnected", () => worker.lines.filter((l) => l.startsWith("watching ")).length >= 2, 30000);
      await submitDetractors(productId, wave, wave); // recorded while the worker resumes
      await waitFor("the worker reached the second wave", () => new Set(worker.acknowledged).size >= wave + 3, 30000);
      proxy.cutAll();
      code = await worker.exitCode();
    } finally {
      worker.kill();
      await proxy.stop();
    }

    assert.equal(code, 0, worker.output);
    assert.ok(worker.lines.some((l) => l.startsWith("stream lost (")), worker.output);
    assert.ok(proxy.accepted >= 2, `the proxy accepted ${proxy.accepted} connections`);
    await assertAllDone(worker, productId, group, 2 * wave);
  });

  it("over TLS with a follow_up key acknowledges exactly the detractors of its group", async () => {
    const productId = uniqueId("worker-tls");
    const group = uniqueId("team");
    const start = new Date(Date.now() - 1000);
    const writer = new NpsWriter(client);
    for (let i = 0; i < 3; i++) await writer.add({ productId, score: 2 * i, comment: `Too expensive, take ${i}` });
    await writer.add({ productId, score: 9, comment: "Fast and friendly" }); // recorded for its comment, not followed up
    await writer.add({ productId, score: 7 });
    await writer.close();

    // As the README runs it against a production server: https:// address, the CA file, the key in NPS_API_KEY.
    const { address, caFile } = secureServer();
    const [worker, code] = await runWorker(
      [...workerArguments(`https://${address}`, group, productId, start, 3), "--ca-file", caFile], secureFollowUpApiKey());

    assert.equal(code, 0, worker.output);
    assert.ok(worker.lines.includes("handled 3 records"), worker.output);
    await assertAllDone(worker, productId, group, 3);
    const promoters = await allRecords(client, productId, { categories: [ScoreCategory.PROMOTER] });
    assert.deepEqual(promoters.map((r) => r.followUps.length), [0]);
  });

  it("with a wrong API key exits 1 naming the status, instead of retrying", async () => {
    const { address, caFile, apiKey: submitAndReadKey } = secureServer();
    const cases: [string, string | undefined, string, string][] = [
      ["none", undefined, "UNAUTHENTICATED", "needs an API key"],
      ["unknown", `nps_${uniqueId("unknown")}`, "UNAUTHENTICATED", "The API key is not valid"],
      ["without the follow_up scope", submitAndReadKey, "PERMISSION_DENIED", "it lacks the 'follow_up' scope"],
    ];
    for (const [key, apiKey, status, detail] of cases) {
      const args = [...workerArguments(`https://${address}`, uniqueId("team"), uniqueId("worker-key"), new Date(), 1), "--ca-file", caFile];
      const [worker, code] = await runWorker(args, apiKey, 30000);

      assert.equal(code, 1, `key ${key}:\n${worker.output}`);
      assert.ok(worker.lines.some((l) => l.startsWith(`follow-up stream refused: ${status}: `) && l.includes(detail)), `key ${key}:\n${worker.output}`);
      assert.ok(!worker.lines.some((l) => l.startsWith("stream lost")), `key ${key} was retried:\n${worker.output}`);
    }
  });

  it("with a CA file that did not sign the server's certificate exits 1 at once naming the CA file, instead of reconnecting", async () => {
    const { address } = secureServer();
    await withWrongCa(async (wrongCa) => {
      const args = [...workerArguments(`https://${address}`, uniqueId("team"), uniqueId("worker-ca"), new Date(), 1), "--ca-file", wrongCa];
      const started = Date.now();
      // Retried, it would keep reconnecting (100 ms doubling to 5 s) until killed after 30 s.
      const [worker, code] = await runWorker(args, secureFollowUpApiKey(), 30000);

      assert.equal(code, 1, worker.output);
      const expected = `the server's certificate was not verified against the CA file given (--ca-file ${wrongCa}): `;
      assert.ok(worker.lines.some((l) => l.startsWith(expected) && /certificate/.test(l.slice(expected.length))), worker.output);
      assert.ok(!worker.lines.some((l) => l.startsWith("stream lost")), `it reconnected:\n${worker.output}`);
      assert.ok(Date.now() - started < 15000, `it took ${Date.now() - started} ms to stop`);
    });
  });
});
