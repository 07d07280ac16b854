// A follow-up worker: watches a follow-up group's queue (StreamFollowUps), handles each delivered record (here:
// prints it), acknowledges it as contacted (AcknowledgeFollowUps), and resumes after a dropped connection.
//   npm run build && node dist/examples/follow-up-worker.js --product my-app
//   NPS_API_KEY=... node dist/examples/follow-up-worker.js --address https://host:port --ca-file ca.pem --product my-app
// Options default to the environment: --address to $NPS_SERVER_ADDRESS (else 127.0.0.1:5000, plaintext HTTP/2;
// https://host:port for TLS), --ca-file to $NPS_SERVER_CA (else Node's CAs), --group to $NPS_FOLLOW_UP_GROUP (else
// callback-team), --consumer to $NPS_FOLLOW_UP_CONSUMER (else the host name), --product to $NPS_FOLLOW_UP_PRODUCTS
// (comma-separated). The API key is $NPS_API_KEY, from the environment only (on a command line every user of the
// machine could read it), and only over TLS. --max-records N stops after N records are acknowledged (0, the
// default: until Ctrl+C).
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  AcknowledgementProblem, createNpsClient, FollowUpOutcome, isCertificateFailure, isRetriable, ScoreCategory,
  type FollowUpDelivery, type NpsClient,
} from "@npsgrpc/client";

const MIN_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5000;

const env = process.env;
const { values } = parseArgs({
  options: {
    address: { type: "string", default: env.NPS_SERVER_ADDRESS || "127.0.0.1:5000" }, // host:port or https://host:port
    "ca-file": { type: "string", default: env.NPS_SERVER_CA || undefined }, // PEM; https:// only
    group: { type: "string", default: env.NPS_FOLLOW_UP_GROUP || "callback-team" },
    // Keep it stable: a reconnecting consumer gets its own unacknowledged deliveries back.
    consumer: { type: "string", default: env.NPS_FOLLOW_UP_CONSUMER || hostname() },
    product: { type: "string", multiple: true },
    "max-records": { type: "string", default: "0" },
    "max-outstanding": { type: "string", default: "10" },
    "start-time": { type: "string" }, // where a new group starts, e.g. 2026-12-01T00:00:00Z (default: now)
  },
});
const products = values.product ?? (env.NPS_FOLLOW_UP_PRODUCTS ?? "").split(",").map((p) => p.trim()).filter(Boolean);
if (products.length === 0) usage("name at least one --product (or set NPS_FOLLOW_UP_PRODUCTS)");
const address = values.address!;
const caFile = values["ca-file"];
const apiKey = env.NPS_API_KEY || undefined;
// A key sent in plaintext is a key given away; a CA file for a plaintext address is a mistake in the address.
if (!address.startsWith("https://")) {
  if (apiKey) usage(`NPS_API_KEY is only sent over TLS: give an https:// address, not ${address}`);
  if (caFile) usage(`--ca-file (or NPS_SERVER_CA) is for TLS: give an https:// address, not ${address}`);
}
let ca: Buffer | undefined;
try {
  ca = caFile ? readFileSync(caFile) : undefined; // a private CA's certificate; without one, Node's CAs
} catch (error) {
  usage(`--ca-file ${caFile}: ${(error as Error).message}`);
}
const group = values.group!;
const consumer = values.consumer!;
const maxRecords = Number(values["max-records"]);
const request = {
  group,
  consumer,
  productIds: products,
  categories: [ScoreCategory.DETRACTOR],
  maxOutstanding: Number(values["max-outstanding"]),
  // Only read when the group is created.
  startTime: values["start-time"] ? timestampFromDate(new Date(values["start-time"])) : undefined,
};

/**
 * Keeps a StreamFollowUps call open for the group and consumer. A dropped connection, UNAVAILABLE or a stream the
 * server ended is not an error: it reconnects with backoff under the same consumer name, and the server first
 * hands back the deliveries this consumer held without acknowledging them. A server certificate that could not be
 * verified is final (isRetriable says no): it ends the worker.
 */
class Worker {
  // Records acknowledged by this run: one delivered again after a reconnect is handled again, counted once.
  readonly handled = new Set<string>();

  constructor(private readonly client: NpsClient) {}

  get done(): boolean {
    return maxRecords > 0 && this.handled.size >= maxRecords;
  }

  async run(signal: AbortSignal): Promise<number> {
    let backoff = MIN_BACKOFF_MS;
    while (!this.done) {
      let lost = "the server ended the stream";
      // Aborting the call when done (or failed) ends the stream on the server.
      const call = new AbortController();
      const stop = () => call.abort();
      signal.addEventListener("abort", stop);
      try {
        console.log(`watching ${products.join(",")} as ${group}/${consumer}`);
        for await (const response of this.client.streamFollowUps(request, { signal: call.signal })) {
          backoff = MIN_BACKOFF_MS; // the server answers again: start the backoff over
          for (const delivery of response.deliveries) {
            await this.handle(delivery, signal);
            if (this.done) return this.handled.size;
          }
        }
      } catch (error) {
        if (signal.aborted || !isRetriable(error)) throw error;
        lost = Code[ConnectError.from(error).code];
      } finally {
        signal.removeEventListener("abort", stop);
        call.abort();
      }
      const delay = Math.round(backoff * (0.5 + Math.random() / 2));
      console.log(`stream lost (${lost}): reconnecting in ${delay} ms`);
      await sleep(delay, undefined, { signal });
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
    return this.handled.size;
  }

  private async handle(delivery: FollowUpDelivery, signal: AbortSignal): Promise<void> {
    const record = delivery.record!;
    const name = `${record.productId}/${record.recordId}`;
    // The follow-up itself would go here (open a ticket, call the customer); this worker only shows the record.
    console.log(`record ${name} score ${record.score} attempt ${delivery.attempt}: ${record.comment.replace(/\r?\n/g, " ")}`);
    const acknowledgements = [{ ackId: delivery.ackId, outcome: FollowUpOutcome.CONTACTED, note: `called back by ${consumer}` }];
    // Acknowledging is idempotent: retry the same ack id until the server answers, so an acknowledgement that was
    // taken but whose answer was lost with the connection is not mistaken for one that was not.
    for (let backoff = MIN_BACKOFF_MS; ; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
      try {
        const answer = await this.client.acknowledgeFollowUps({ acknowledgements }, { timeoutMs: 10000, signal });
        const exception = answer.exceptions[0];
        if (exception) {
          // STALE_LEASE: the lease expired and another worker has the record; UNKNOWN: it was erased or trimmed.
          console.log(`not acknowledged ${name}: ${AcknowledgementProblem[exception.problem]}`);
        } else {
          this.handled.add(name);
          console.log(`acknowledged ${name} as CONTACTED`);
        }
        return;
      } catch (error) {
        const code = ConnectError.from(error).code;
        if (signal.aborted || !(isRetriable(error) || code === Code.DeadlineExceeded)) throw error;
        console.log(`acknowledging ${name} failed (${Code[code]}): retrying`);
        await sleep(Math.round(backoff * (0.5 + Math.random() / 2)), undefined, { signal });
      }
    }
  }
}

const stopped = new AbortController();
process.once("SIGINT", () => stopped.abort()); // deliveries not acknowledged go back to the group when their lease ends
try {
  // The key is sent as "authorization: Bearer <key>" on every call.
  const handled = await new Worker(createNpsClient(address, { apiKey, ca })).run(stopped.signal);
  console.log(`handled ${handled} records`);
} catch (error) {
  if (stopped.signal.aborted) {
    // Ctrl+C: not a failure.
  } else if (isCertificateFailure(error)) {
    // The TLS handshake failed on the server's certificate: reconnecting would fail the same way every time.
    const against = caFile ? `the CA file given (--ca-file ${caFile})` : "Node's CAs (give the server's CA with --ca-file)";
    console.error(`the server's certificate was not verified against ${against}: ${ConnectError.from(error).rawMessage}`);
    process.exitCode = 1;
  } else {
    // The server's answer, not a lost connection: a bad name, a group created with another filter, a missing or
    // wrong API key (UNAUTHENTICATED), a key without the follow_up scope (PERMISSION_DENIED). Retrying would not help.
    const ce = ConnectError.from(error);
    // The status as gRPC names it in every language (PERMISSION_DENIED), not as Connect's enum does (PermissionDenied).
    const status = Code[ce.code].replace(/(?<=[a-z])(?=[A-Z])/g, "_").toUpperCase();
    console.error(`follow-up stream refused: ${status}: ${ce.rawMessage}`);
    process.exitCode = 1;
  }
}

function usage(problem: string): never {
  console.error(problem);
  process.exit(2);
}
