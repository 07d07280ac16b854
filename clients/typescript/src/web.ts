// @npsgrpc/client/web: the browser entry point. A Connect client speaking gRPC-Web over fetch (HTTP/1.1 or
// HTTP/2, whatever the browser picks), the generated nps.v1 messages, and `outcomes`. No Node.js imports: a
// bundler packs it for a page as it is.
import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { bearer } from "./api-key.js";
import { NpsService } from "./gen/nps/v1/nps_pb.js";

export * from "./gen/nps/v1/nps_pb.js";
export { outcomes } from "./outcomes.js";

export type NpsWebClient = Client<typeof NpsService>;

export interface NpsWebClientOptions {
  /**
   * An API key of the server's configuration, sent as `authorization: Bearer <key>` on every call. Only over
   * https, or http to this machine (localhost, 127.0.0.0/8, [::1]), which browsers also count as secure: a key
   * sent in plaintext over a network is a key given away.
   */
  apiKey?: string;
  /** More interceptors, run before the one that adds the API key. */
  interceptors?: Interceptor[];
  /** The fetch to call with; the global one by default. */
  fetch?: typeof globalThis.fetch;
}

/**
 * A Connect client for NpsService speaking gRPC-Web, for browsers: `baseUrl` is the server's browser endpoint
 * (`Web:Url`, http://127.0.0.1:5080 by default), or an https endpoint serving HTTP/1.1 and HTTP/2. It has every
 * unary and server-streaming RPC (`submitResponseBatch`, `getScore`, `streamFollowUps`, ...); `submitResponses`,
 * a bidirectional stream, needs HTTP/2 end to end and is not for browsers. A page of another origin than the
 * server's is allowed only by the server's `Web:CorsOrigins`.
 */
export function createNpsWebClient(baseUrl: string, options: NpsWebClientOptions = {}): NpsWebClient {
  const url = new URL(baseUrl);
  if (options.apiKey !== undefined && url.protocol !== "https:" && !isLoopback(url.hostname)) {
    throw new Error(`an API key is only sent over TLS or to this machine: use an https:// address instead of ${baseUrl}`);
  }
  const apiKey: Interceptor[] = options.apiKey === undefined ? [] : [bearer(options.apiKey)];
  return createClient(NpsService, createGrpcWebTransport({
    baseUrl,
    interceptors: [...(options.interceptors ?? []), ...apiKey],
    fetch: options.fetch,
  }));
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
