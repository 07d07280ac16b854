// NpsWriter: exactly-once, batched submission of survey responses over one SubmitResponses stream.
import { randomUUID } from "node:crypto";
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError, type Client } from "@connectrpc/connect";
import {
  type NpsService,
  type RejectionReason,
  type SubmitResponsesRequest,
  type SubmitResponsesResponse,
  type SurveyResponse,
  SubmitResponsesRequestSchema,
  SurveyResponseSchema,
} from "./gen/nps/v1/nps_pb.js";

/** A response the server did not count, with the response itself so the caller can log or fix it. */
export interface Rejection {
  /** Sequence of the batch the response was sent in. */
  sequence: bigint;
  /** Zero-based position of the response in its batch. */
  index: number;
  /** Offending field, relative to the request, e.g. `responses[3].score`. */
  field: string;
  description: string;
  reason: RejectionReason;
  response: SurveyResponse;
}

export interface NpsWriterOptions {
  /** Stable id of this producer; keep it across restarts for exactly-once. Default `typescript-<uuid>`. */
  writerId?: string;
  /** Sequence of the first batch. Default: the current Unix time in microseconds. */
  firstSequence?: bigint;
  /** Responses per batch, 1 to 1000. Default 500. */
  maxBatchSize?: number;
  /** A batch is sent at the latest this long after its first response was added. Default 200 ms. */
  maxDelayMs?: number;
  /** Batches sent but not yet acknowledged on the stream. Default 8. */
  maxInFlight?: number;
  /** `add` waits while this many batches are waiting for their acknowledgement. Default 32. */
  maxQueuedBatches?: number;
  /** Reconnect backoff: starts here, doubles up to `maxBackoffMs`, with jitter. Defaults 100 ms and 5 s. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Consecutive failed attempts (no acknowledgement in between) before giving up. Default 15. */
  maxReconnectAttempts?: number;
  /** Called once for every rejected response. */
  onRejected?: (rejection: Rejection) => void;
}

export interface NpsWriterStats {
  /** Responses the server counted (for a duplicate batch: counted by its earlier delivery). */
  accepted: number;
  rejected: number;
  /** Accepted responses that replaced an earlier answer of their respondent (`respondentId`). */
  replaced: number;
  /** Accepted responses counted nowhere because their respondent has a later answer. */
  superseded: number;
  /** Batches acknowledged as duplicates: re-sent after a lost acknowledgement, counted only once. */
  duplicates: number;
  /** Streams opened again after a retriable failure. */
  reconnects: number;
  /** Batches acknowledged. */
  batches: number;
}

export type SurveyResponseInit = MessageInitShape<typeof SurveyResponseSchema>;

interface Batch {
  request: SubmitResponsesRequest;
}

// Node and HTTP/2 error codes that mean "the connection went away", not "the server said no".
const TRANSPORT_ERROR_CODES = new Set([
  "ECONNRESET", "ECONNREFUSED", "ECONNABORTED", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH",
  "ERR_STREAM_PREMATURE_CLOSE", "ERR_STREAM_DESTROYED", "ERR_STREAM_WRITE_AFTER_END",
  "ERR_HTTP2_STREAM_ERROR", "ERR_HTTP2_SESSION_ERROR", "ERR_HTTP2_GOAWAY_SESSION", "ERR_HTTP2_INVALID_SESSION",
  "ERR_HTTP2_STREAM_CANCEL", "ERR_HTTP2_INVALID_STREAM", "ERR_HTTP2_PING_CANCEL",
]);

// Node's codes for a server certificate that failed verification (OpenSSL's X509_V_ERR_* names, and the host name
// check of tls.checkServerIdentity), set on the TLS error that connect-node keeps as the ConnectError's cause.
const CERTIFICATE_ERROR_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "UNABLE_TO_GET_ISSUER_CERT", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN", "DEPTH_ZERO_SELF_SIGNED_CERT", "CERT_SIGNATURE_FAILURE",
  "UNABLE_TO_DECRYPT_CERT_SIGNATURE", "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY", "CERT_UNTRUSTED", "CERT_REJECTED",
  "INVALID_CA", "INVALID_PURPOSE", "PATH_LENGTH_EXCEEDED", "CERT_CHAIN_TOO_LONG", "CERT_REVOKED",
  "CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID", "ERROR_IN_CERT_NOT_BEFORE_FIELD", "ERROR_IN_CERT_NOT_AFTER_FIELD",
  "HOSTNAME_MISMATCH", "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/**
 * True when the TLS handshake failed because the server's certificate could not be verified (not signed by the
 * CA given as `ca`, or by Node's CAs without one; self-signed; expired; issued for another host name). Final,
 * never retried: a wrong CA, or a certificate that does not match, does not heal by reconnecting. Detected by the
 * Node error's `code` in the cause chain, not by its message.
 */
export function isCertificateFailure(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && CERTIFICATE_ERROR_CODES.has(code)) return true;
    if (e.cause === e) break;
  }
  return false;
}

/** Raised internally when the server ends the stream before acknowledging every batch sent on it. */
class StreamEndedEarly extends Error {}

/**
 * True for failures worth a reconnect: UNAVAILABLE from the server, a dropped or reset connection, a stream
 * that ended before every batch was acknowledged. A status the server chose (INVALID_ARGUMENT, ...) is final,
 * and so is a server certificate that could not be verified (`isCertificateFailure`).
 */
export function isRetriable(error: unknown): boolean {
  if (error instanceof StreamEndedEarly) return true;
  // Checked first, whatever code connect-node gave it: a wrong CA never heals by retrying.
  if (isCertificateFailure(error)) return false;
  const ce = ConnectError.from(error);
  if (ce.code === Code.Unavailable) return true;
  // connect-node reports a dropped connection as Aborted, Internal, Unknown or Canceled with the Node error
  // as the cause; a status sent by the server has no such cause.
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && TRANSPORT_ERROR_CODES.has(code)) return true;
    if (e.cause === e) break;
  }
  // An HTTP/2 stream reset (RST_STREAM, or CANCEL when the connection closed under it) carries no gRPC
  // status: the stream ended early. Our own cancellation never reaches here (see runStream).
  const noStatus = [Code.Canceled, Code.Unknown, Code.Internal, Code.Aborted].includes(ce.code);
  return noStatus && /^http\/2 stream closed with error code|premature close|missing trailer/i.test(ce.rawMessage);
}

function unixMicros(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
}

/**
 * Batches responses and submits them exactly once: every batch keeps its sequence until acknowledged and
 * is re-sent with it after a reconnect, so the server counts it once however often it arrives.
 */
export class NpsWriter {
  readonly writerId: string;
  readonly stats: NpsWriterStats = {
    accepted: 0, rejected: 0, replaced: 0, superseded: 0, duplicates: 0, reconnects: 0, batches: 0,
  };

  private readonly client: Client<typeof NpsService>;
  private readonly maxBatchSize: number;
  private readonly maxDelayMs: number;
  private readonly maxInFlight: number;
  private readonly maxQueuedBatches: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxReconnectAttempts: number;
  private readonly onRejected?: (rejection: Rejection) => void;

  private nextSequence: bigint;
  private buffer: SurveyResponse[] = [];
  private timer: NodeJS.Timeout | undefined;
  // Sealed batches in sequence order, oldest first; they leave only when acknowledged.
  private unacked: Batch[] = [];
  // How many of `unacked` went out on the current stream.
  private sentOnStream = 0;
  private closing = false;
  private failure: Error | undefined;
  private pump: Promise<void> | undefined;
  private wakeUp: () => void = () => {};
  private changed: Promise<void> = this.resetChanged();

  constructor(client: Client<typeof NpsService>, options: NpsWriterOptions = {}) {
    this.client = client;
    this.writerId = options.writerId ?? `typescript-${randomUUID()}`;
    this.nextSequence = options.firstSequence ?? unixMicros();
    this.maxBatchSize = options.maxBatchSize ?? 500;
    if (!Number.isInteger(this.maxBatchSize) || this.maxBatchSize < 1 || this.maxBatchSize > 1000) {
      throw new RangeError("maxBatchSize must be an integer from 1 to 1000");
    }
    if (this.nextSequence < 1n) throw new RangeError("firstSequence must be at least 1");
    this.maxDelayMs = options.maxDelayMs ?? 200;
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 8);
    this.maxQueuedBatches = Math.max(this.maxInFlight, options.maxQueuedBatches ?? 32);
    this.initialBackoffMs = options.initialBackoffMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 5000;
    this.maxReconnectAttempts = options.maxReconnectAttempts ?? 15;
    this.onRejected = options.onRejected;
  }

  /** Batches sealed but not yet acknowledged (sent or waiting to be sent). */
  get unacknowledged(): number {
    return this.unacked.length;
  }

  /** Batches sent on the current stream and not yet acknowledged. */
  get inFlight(): number {
    return this.sentOnStream;
  }

  /**
   * Buffers one response. Resolves once it is buffered: immediately, unless too many batches await their
   * acknowledgement (back-pressure). Rejects when the writer has failed or is closed.
   */
  async add(response: SurveyResponse | SurveyResponseInit): Promise<void> {
    this.throwIfUnusable();
    while (this.unacked.length >= this.maxQueuedBatches) {
      await this.changed;
      this.throwIfUnusable();
    }
    this.buffer.push(create(SurveyResponseSchema, response as SurveyResponseInit));
    if (this.buffer.length >= this.maxBatchSize) {
      this.seal();
    } else if (this.buffer.length === 1) {
      this.timer = setTimeout(() => this.seal(), this.maxDelayMs);
    }
  }

  /** Sends what is buffered and resolves when everything added so far is acknowledged. */
  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    this.seal();
    while (this.unacked.length > 0) {
      if (this.failure) throw this.failure;
      await this.changed;
    }
    if (this.failure) throw this.failure;
  }

  /** Flushes, then ends the stream. Rejects with the writer's failure, if any. Safe to call twice. */
  async close(): Promise<void> {
    this.seal();
    this.closing = true;
    this.notify();
    await this.pump;
    if (this.failure) throw this.failure;
  }

  private throwIfUnusable(): void {
    if (this.failure) throw this.failure;
    if (this.closing) throw new Error("NpsWriter is closed");
  }

  private seal(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0 || this.failure) return;
    const request = create(SubmitResponsesRequestSchema, {
      writerId: this.writerId,
      sequence: this.nextSequence++,
      responses: this.buffer,
    });
    this.buffer = [];
    this.unacked.push({ request });
    this.pump ??= this.run();
    this.notify();
  }

  private resetChanged(): Promise<void> {
    return (this.changed = new Promise((resolve) => (this.wakeUp = resolve)));
  }

  // Wakes every waiter (request generator, flush, add) to re-check the state.
  private notify(): void {
    const wake = this.wakeUp;
    this.resetChanged();
    wake();
  }

  private async run(): Promise<void> {
    let attempt = 0;
    try {
      for (;;) {
        if (this.unacked.length === 0) {
          if (this.closing) return;
          await this.changed;
          continue;
        }
        const acksBefore = this.stats.batches;
        try {
          await this.runStream();
          // The server may end an idle stream (e.g. on shutdown after acknowledging everything): reopen lazily.
          if (this.closing && this.unacked.length === 0) return;
          if (this.unacked.length > 0) throw new StreamEndedEarly("the stream ended before every batch was acknowledged");
        } catch (error) {
          if (!isRetriable(error)) throw error;
          if (this.stats.batches > acksBefore) attempt = 0;
          if (++attempt > this.maxReconnectAttempts) throw error;
          const ceiling = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** (attempt - 1));
          // Jitter spreads the reconnects of many writers after a shared outage.
          await new Promise((resolve) => setTimeout(resolve, ceiling / 2 + Math.random() * (ceiling / 2)));
          this.stats.reconnects++;
        }
      }
    } catch (error) {
      this.failure = error instanceof StreamEndedEarly ? new ConnectError(error.message, Code.Unavailable) : ConnectError.from(error);
      clearTimeout(this.timer);
    } finally {
      this.notify();
    }
  }

  // One stream: re-sends every unacknowledged batch with its sequence, then new ones as they are sealed.
  private async runStream(): Promise<void> {
    this.sentOnStream = 0;
    const abort = new AbortController();
    const writer = this;
    async function* requests(): AsyncGenerator<SubmitResponsesRequest> {
      while (!abort.signal.aborted) {
        if (writer.sentOnStream < writer.unacked.length && writer.sentOnStream < writer.maxInFlight) {
          yield writer.unacked[writer.sentOnStream++].request;
        } else if (writer.closing && writer.unacked.length === 0) {
          return; // half-close: the server ends the stream once everything is acknowledged
        } else {
          await writer.changed; // notify() also runs when the stream ends
        }
      }
    }
    try {
      for await (const ack of this.client.submitResponses(requests(), { signal: abort.signal })) {
        this.acknowledge(ack);
      }
    } catch (error) {
      // Canceled although we did not cancel: the connection closed under the stream.
      if (ConnectError.from(error).code === Code.Canceled && !abort.signal.aborted) {
        throw new StreamEndedEarly(`the stream was cut: ${ConnectError.from(error).rawMessage}`);
      }
      throw error;
    } finally {
      abort.abort();
      this.sentOnStream = 0;
      this.notify();
    }
  }

  private acknowledge(ack: SubmitResponsesResponse): void {
    const batch = this.unacked[0];
    if (!batch || this.sentOnStream === 0 || ack.sequence !== batch.request.sequence) {
      throw new ConnectError(
        `acknowledgement for sequence ${ack.sequence} does not match the oldest unacknowledged batch ${batch?.request.sequence}`,
        Code.Internal,
      );
    }
    this.unacked.shift();
    this.sentOnStream--;
    this.stats.batches++;
    this.stats.accepted += ack.acceptedCount;
    this.stats.rejected += ack.rejected.length;
    this.stats.replaced += ack.replacedCount;
    this.stats.superseded += ack.supersededCount;
    if (ack.duplicate) this.stats.duplicates++;
    for (const r of ack.rejected) {
      this.onRejected?.({
        sequence: ack.sequence,
        index: r.index,
        field: r.field,
        description: r.description,
        reason: r.reason,
        response: batch.request.responses[r.index],
      });
    }
    this.notify();
  }
}
