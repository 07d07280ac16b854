// The NpsService client over gRPC-Web (the TypeScript SDK's browser entry point), on the origin that served the
// page, and what its errors mean to a reader.
import { Code, ConnectError } from "@connectrpc/connect";
import { createNpsWebClient, type NpsWebClient } from "@npsgrpc/client/web";
import { statusName } from "./format";

export type NpsClient = NpsWebClient;

/** The API key of this tab: kept in sessionStorage, so it is gone when the tab closes and never shared between tabs. */
export class KeyStore {
  private static readonly item = "nps.apiKey";

  get(): string | undefined {
    return sessionStorage.getItem(KeyStore.item) || undefined;
  }

  set(key: string | undefined): void {
    if (key) sessionStorage.setItem(KeyStore.item, key);
    else sessionStorage.removeItem(KeyStore.item);
  }
}

/**
 * A client with the tab's key, for the server that served the page (under a reverse proxy's path prefix too). The
 * SDK sends a key only over https or to this machine, and throws otherwise: the page says why instead of calling.
 */
export function connect(apiKey: string | undefined): NpsClient | Problem {
  const baseUrl = new URL(".", document.baseURI).href.replace(/\/$/, "");
  try {
    return createNpsWebClient(baseUrl, { apiKey });
  } catch {
    return {
      kind: "key",
      message: `This page was opened over plain http from another machine, where an API key would travel readable by anyone on the way: open it over https (or on the server's own machine) to use a key.`,
    };
  }
}

/** What went wrong, worded for the person reading the page. `kind` tells the page what else to do about it. */
export interface Problem {
  /** "empty": nothing to show (no responses there), said in the server's words; not a fault. */
  kind: "key" | "scope" | "empty" | "unavailable" | "unsupported" | "aborted" | "other";
  message: string;
}

/**
 * `scope` names the API key scope the call needs, `what` what the call was for ("read the score"). A refused key is
 * told apart from a missing one by whether this tab sent one: the page does not need the ErrorInfo reason for that.
 * A missing or refused key is the page's problem rather than the call's, and is worded for the page.
 */
export function describe(error: unknown, what: string, scope: string, keySent: boolean): Problem {
  const e = ConnectError.from(error);
  switch (e.code) {
    case Code.Canceled:
      return { kind: "aborted", message: "" };
    case Code.Unauthenticated:
      // Said once for the page, whichever call was refused first: so it names what the whole page needs.
      return keySent
        ? { kind: "key", message: "The server refused this API key: it is not a key the server knows. Check it and enter it again." }
        : { kind: "key", message: "This server needs an API key. Enter one with the read scope (with follow_up too, the page also shows detractors' comments)." };
    case Code.PermissionDenied:
      return { kind: "scope", message: `This API key lacks the ${scope} scope, which it takes to ${what}.` };
    case Code.NotFound:
    case Code.FailedPrecondition:
      return { kind: "empty", message: e.rawMessage };
    case Code.Unavailable:
    case Code.DeadlineExceeded:
      return { kind: "unavailable", message: `The server cannot ${what} right now (${statusName(e.code)}: ${e.rawMessage}).` };
    case Code.Unimplemented:
      return { kind: "unsupported", message: `This server cannot ${what}: it does not offer the call (UNIMPLEMENTED).` };
    default:
      return { kind: "other", message: `Could not ${what}: ${statusName(e.code)} (${e.rawMessage}).` };
  }
}
