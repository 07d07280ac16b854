import type { NpsClient, Problem } from "./api";
import type { Scope } from "./scope";

/** What a view needs to load itself: the client, what to show, and a signal that says the page moved on. */
export interface ViewContext {
  readonly client: NpsClient;
  readonly scope: Scope;
  readonly signal: AbortSignal;
  /**
   * Words a failed call for its reader (`what` the call was for, `keyScope` the API key scope it takes) and, when
   * the key is the problem, says so once for the whole page beside the key field.
   */
  problem(error: unknown, what: string, keyScope: string): Problem;
}
