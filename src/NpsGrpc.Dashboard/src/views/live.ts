// Keeps the headline current with WatchScore: the server sends the score at once and again whenever it changes, so
// the page never polls. A dropped stream is watched again with backoff (the first message is the score as it
// stands, so nothing is missed meanwhile); a server without WatchScore is read once with GetScore.
import type { Score } from "@npsgrpc/client/web";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import type { ViewContext } from "../context";
import { byId, fill } from "../dom";
import * as format from "../format";
import type { HeadlineView } from "./headline";

const what = "read the score";

/** Half the server's default: a person watching the headline sees a batch land within about a second. */
const minInterval = { seconds: 0n, nanos: 500_000_000 };
const keyScope = "read";

export class LiveScore {
  private readonly status = byId("live-status");

  /** `changed` runs after every score but the first, so the other views can follow. */
  constructor(
    private readonly headline: HeadlineView,
    private readonly changed: () => void,
  ) {}

  async run(context: ViewContext): Promise<void> {
    const { client, scope, signal } = context;
    let failures = 0;
    let first = true;
    while (!signal.aborted) {
      try {
        for await (const update of client.watchScore({ productId: scope.product, segment: scope.segment, minInterval }, { signal })) {
          failures = 0;
          this.show(update.score, update.readTime, "live");
          if (!first) this.changed();
          first = false;
        }
        // The server ended the stream (it shuts down): watch again, on whichever instance answers.
      } catch (error) {
        const problem = context.problem(error, what, keyScope);
        switch (problem.kind) {
          case "aborted":
            return;
          case "unsupported":
            await this.readOnce(context);
            return;
          case "key":
          case "scope":
          case "other":
            this.headline.showProblem(problem.message, "error");
            this.setStatus("off", "");
            return;
          default:
            this.setStatus("reconnecting", `Live updates paused: ${problem.message} Trying again…`);
        }
      }

      failures++;
      await sleep(Math.min(30_000, 500 * 2 ** Math.min(failures, 6)), signal);
    }
  }

  private async readOnce(context: ViewContext): Promise<void> {
    const { client, scope, signal } = context;
    try {
      const reply = await client.getScore({ productId: scope.product, segment: scope.segment }, { signal });
      this.show(reply.score, undefined, "off");
      this.setStatus("off", "This server has no live updates (WatchScore): reload the page for the latest score.");
    } catch (error) {
      const problem = context.problem(error, what, keyScope);
      if (problem.kind === "aborted") return;
      this.headline.showProblem(problem.message, problem.kind === "empty" ? "info" : "error");
      this.setStatus("off", "");
    }
  }

  private show(score: Score | undefined, readTime: Timestamp | undefined, state: "live" | "off"): void {
    if (score === undefined) return;
    this.headline.show(score);
    if (state === "live") this.setStatus("live", `Live · updated ${format.clock(readTime)}`);
  }

  private setStatus(state: "live" | "reconnecting" | "off", text: string): void {
    this.status.dataset.state = state;
    fill(this.status, text);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
