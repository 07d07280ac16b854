// @npsgrpc/client: the generated nps.v1 messages and NpsService descriptor, a transport/client shortcut,
// and NpsWriter for exactly-once batched submission, for Node.js. Browsers use @npsgrpc/client/web (web.ts).
import { createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { bearer } from "./api-key.js";
import { NpsService } from "./gen/nps/v1/nps_pb.js";
import { isRetriable } from "./writer.js";

export * from "./gen/nps/v1/nps_pb.js";
export { NpsWriter, isCertificateFailure, isRetriable } from "./writer.js";
export { outcomes } from "./outcomes.js";
export type { NpsWriterOptions, NpsWriterStats, Rejection, SurveyResponseInit } from "./writer.js";

export type NpsClient = Client<typeof NpsService>;

export interface NpsClientOptions {
  /**
   * An API key of the server's configuration, sent as `authorization: Bearer <key>` on every call. Only over
   * TLS (`https://` addresses): a key sent in plaintext is a key given away.
   */
  apiKey?: string;
  /** PEM certificate(s) to trust for TLS instead of Node's CAs: a private CA, or a self-signed server. */
  ca?: string | Buffer;
  /** More interceptors, run before the one that adds the API key. */
  interceptors?: Interceptor[];
}

/**
 * A Connect client for NpsService speaking gRPC over HTTP/2. `address` is "host:port" or "http://host:port"
 * for plaintext (h2c), "https://host:port" for TLS. Given several addresses (instances of the server), calls go
 * to one until a call there fails because the instance is unreachable (`isRetriable`: refused, reset,
 * UNAVAILABLE); from then on they go to the next, so a writer whose instance dies reconnects to another one.
 */
export function createNpsClient(address: string | readonly string[], options: NpsClientOptions = {}): NpsClient {
  const addresses = typeof address === "string" ? [address] : address;
  if (addresses.length === 0) throw new Error("createNpsClient needs at least one address");
  const transports = addresses.map((a) => {
    const baseUrl = /^https?:\/\//.test(a) ? a : `http://${a}`;
    if (options.apiKey !== undefined && !baseUrl.startsWith("https://")) {
      throw new Error(`an API key is only sent over TLS: use an https:// address instead of ${a}`);
    }
    const apiKey: Interceptor[] = options.apiKey === undefined ? [] : [bearer(options.apiKey)];
    return createGrpcTransport({
      baseUrl,
      interceptors: [...(options.interceptors ?? []), ...apiKey],
      nodeOptions: options.ca === undefined ? undefined : { ca: options.ca },
    });
  });
  return createClient(NpsService, transports.length === 1 ? transports[0] : failover(transports));
}

/** Sends every call to the current transport; one that fails as unreachable makes the next one current. */
function failover(transports: Transport[]): Transport {
  let current = 0;
  const failed = (index: number, error: unknown) => {
    if (index === current && isRetriable(error)) current = (index + 1) % transports.length;
  };
  return {
    async unary(method, signal, timeoutMs, header, input, contextValues) {
      const index = current;
      try {
        return await transports[index].unary(method, signal, timeoutMs, header, input, contextValues);
      } catch (error) {
        failed(index, error);
        throw error;
      }
    },
    async stream(method, signal, timeoutMs, header, input, contextValues) {
      const index = current;
      try {
        const response = await transports[index].stream(method, signal, timeoutMs, header, input, contextValues);
        return { ...response, message: watched(response.message, (error) => failed(index, error)) };
      } catch (error) {
        failed(index, error);
        throw error;
      }
    },
  };
}

async function* watched<T>(messages: AsyncIterable<T>, onError: (error: unknown) => void): AsyncIterable<T> {
  try {
    yield* messages;
  } catch (error) {
    onError(error);
    throw error;
  }
}
