// The API key interceptor both clients use; no Node.js imports, so the browser entry point can take it.
import type { Interceptor } from "@connectrpc/connect";

/** Sends `authorization: Bearer <key>` on every call. */
export function bearer(apiKey: string): Interceptor {
  return (next) => (request) => {
    request.header.set("authorization", `Bearer ${apiKey}`);
    return next(request);
  };
}
