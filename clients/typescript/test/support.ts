// Shared by the tests: the live server's address, unique ids, and a TCP proxy that can drop connections.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NpsClient, ResponseRecord, ScoreCategory } from "../src/index.js";

/** host:port of the live server (plaintext HTTP/2); test.sh starts one when it is not set. */
export function serverAddress(): string {
  const address = process.env.NPS_SERVER_ADDRESS;
  if (!address) throw new Error("NPS_SERVER_ADDRESS is not set (host:port of a live NpsGrpc server)");
  return address;
}

/** host:port of the live server's browser endpoint (gRPC-Web over HTTP/1.1, NPS_WEB_ADDRESS); test.sh starts one. */
export function webAddress(): string {
  const address = process.env.NPS_WEB_ADDRESS;
  if (!address) throw new Error("NPS_WEB_ADDRESS is not set (host:port of a live NpsGrpc server's browser endpoint)");
  return address;
}

/** Ids unique per test run: the live Redis is shared with the other SDKs' tests. */
export function uniqueId(prefix: string): string {
  return `ts-${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
}

/** Polls `condition` until it holds; fails after `timeoutMs` (a guard against hanging, not a timing assertion). */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Forwards 127.0.0.1:<port> to the server. cutAll() abruptly ends every connection it carries (TCP reset, or
 * a plain close); holdResponses() swallows what the server sends, so batches get applied but their
 * acknowledgements never arrive.
 */
export class DroppingProxy {
  /** Client connections accepted so far. */
  accepted = 0;
  holding = false;
  /** Bytes of the server dropped while holding. */
  swallowed = 0;
  private readonly server = net.createServer((client) => this.connect(client));
  private readonly pairs = new Set<[net.Socket, net.Socket]>();

  constructor(private readonly target: string) {}

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  /** Connections currently open. */
  get open(): number {
    return this.pairs.size;
  }

  holdResponses(): void {
    this.holding = true;
  }

  /** Ends every open connection and stops holding; returns how many were cut. */
  cutAll(how: "reset" | "close" = "reset"): number {
    const cut = this.pairs.size;
    for (const pair of this.pairs) {
      for (const socket of pair) how === "reset" ? socket.resetAndDestroy() : socket.destroy();
    }
    this.pairs.clear();
    this.holding = false;
    return cut;
  }

  async stop(): Promise<void> {
    this.cutAll();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private connect(client: net.Socket): void {
    this.accepted++;
    const colon = this.target.lastIndexOf(":");
    const upstream = net.connect(Number(this.target.slice(colon + 1)), this.target.slice(0, colon));
    const pair: [net.Socket, net.Socket] = [client, upstream];
    this.pairs.add(pair);
    client.on("data", (chunk) => upstream.write(chunk));
    upstream.on("data", (chunk: Buffer) => {
      if (this.holding) this.swallowed += chunk.length;
      else client.write(chunk);
    });
    for (const [from, to] of [[client, upstream], [upstream, client]]) {
      from.on("error", () => to.destroy());
      from.on("close", () => {
        this.pairs.delete(pair);
        to.destroy();
      });
    }
  }
}

/** The live server's TLS + API key twin (see .ci/live-server.sh). */
export function secureServer(): { address: string; caFile: string; apiKey: string } {
  const { NPS_SECURE_SERVER_ADDRESS: address, NPS_SECURE_SERVER_CA: caFile, NPS_SECURE_SERVER_API_KEY: apiKey } = process.env;
  if (!address || !caFile || !apiKey) {
    throw new Error("NPS_SECURE_SERVER_ADDRESS, _CA and _API_KEY are not set (the live server's TLS twin): run test.sh");
  }
  return { address, caFile, apiKey };
}

/** A key of the TLS twin with the follow_up scope only, what a follow-up worker needs. */
export function secureFollowUpApiKey(): string {
  const key = process.env.NPS_SECURE_SERVER_FOLLOW_UP_API_KEY;
  if (!key) throw new Error("NPS_SECURE_SERVER_FOLLOW_UP_API_KEY is not set (the live server's TLS twin): run test.sh");
  return key;
}

/**
 * Runs `body` with the path of a CA certificate that did not sign the server's (a fresh self-signed one, made by
 * openssl in a temporary folder that is removed afterwards): what a misconfigured --ca-file looks like.
 */
export async function withWrongCa<T>(body: (caFile: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "nps-wrong-ca-"));
  try {
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=not-the-server-ca",
      "-keyout", join(dir, "k.pem"), "-out", join(dir, "ca.pem")], { stdio: "ignore" });
    return await body(join(dir, "ca.pem"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every record of a product matching `filter`, newest first, read page by page. */
export async function allRecords(client: NpsClient, productId: string, filter: { categories?: ScoreCategory[] } = {}): Promise<ResponseRecord[]> {
  const records: ResponseRecord[] = [];
  let pageToken = "";
  do {
    const page = await client.listResponses({ productId, pageSize: 1000, ...filter, pageToken });
    records.push(...page.records);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return records;
}
