// @npsgrpc/client: the generated nps.v1 messages and NpsService descriptor, a transport/client shortcut,
// and NpsWriter for exactly-once batched submission.
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { NpsService } from "./gen/nps/v1/nps_pb.js";

export * from "./gen/nps/v1/nps_pb.js";
export { NpsWriter, isRetriable } from "./writer.js";
export { outcomes } from "./outcomes.js";
export type { NpsWriterOptions, NpsWriterStats, Rejection, SurveyResponseInit } from "./writer.js";

export type NpsClient = Client<typeof NpsService>;

/**
 * A Connect client for NpsService speaking gRPC over plaintext HTTP/2 (h2c) to `address`:
 * "host:port" or a base URL such as "http://127.0.0.1:5000".
 */
export function createNpsClient(address: string): NpsClient {
  const baseUrl = /^https?:\/\//.test(address) ? address : `http://${address}`;
  return createClient(NpsService, createGrpcTransport({ baseUrl }));
}
