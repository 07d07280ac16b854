// The segment leaderboard: every label the product has seen with its all-time score, sortable by any column.
import { SegmentOrder, type SegmentScore } from "@npsgrpc/client/web";
import type { ViewContext } from "../context";
import { byId, fill, h, note } from "../dom";
import * as format from "../format";

type Column = "segment" | "nps" | "lower" | "total";
type Direction = "ascending" | "descending";

const columns: readonly { key: Column; title: string; numeric: boolean }[] = [
  { key: "segment", title: "Segment", numeric: false },
  { key: "nps", title: "NPS", numeric: true },
  { key: "lower", title: "95\u00a0% interval", numeric: true },
  { key: "total", title: "Responses", numeric: true },
];

/** Labels shown at most: one page of ListSegments, the largest segments first. */
const shown = 1000;

export class SegmentsView {
  private readonly table = byId<HTMLTableElement>("segments-table");
  private readonly message = byId("segments-message");
  private segments: SegmentScore[] = [];
  private sort: { column: Column; direction: Direction } = { column: "nps", direction: "descending" };

  /** `choose` makes a label the page's segment. */
  constructor(private readonly choose: (segment: string) => void) {}

  /** Loads the leaderboard and returns its labels, largest first (for the pickers), or none when it failed. */
  async load(context: ViewContext): Promise<SegmentScore[]> {
    const { client, scope, signal } = context;
    try {
      const reply = await client.listSegments({ productId: scope.product, orderBy: SegmentOrder.TOTAL, pageSize: shown }, { signal });
      this.segments = reply.segments;
      fill(
        this.message,
        reply.segments.length === 0 ? note("No segment labels yet: responses carry none.") : null,
        reply.nextPageToken ? note(`The ${format.count(shown)} largest segments; the product has more.`) : null,
      );
      this.render();
      return reply.segments;
    } catch (error) {
      const problem = context.problem(error, "list the segments", "read");
      this.segments = [];
      if (problem.kind !== "aborted") {
        fill(this.table);
        fill(this.message, note(problem.message, problem.kind === "empty" ? "info" : "error"));
      }
      return [];
    }
  }

  private render(): void {
    if (this.segments.length === 0) {
      fill(this.table);
      return;
    }

    const { column, direction } = this.sort;
    const sign = direction === "ascending" ? 1 : -1;
    const rows = [...this.segments].sort((a, b) => sign * compare(a, b, column) || Number((b.score?.total ?? 0n) - (a.score?.total ?? 0n)) || a.segment.localeCompare(b.segment));
    fill(
      this.table,
      h("caption", { class: "visually-hidden" }, "Segments with their all-time score; column headings sort."),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ...columns.map(({ key, title, numeric }) => {
            const sorted = key === column;
            const button = h("button", { type: "button", class: "sort" }, title, h("span", { class: "arrow", "aria-hidden": "true" }, sorted ? (direction === "ascending" ? "\u00a0▲" : "\u00a0▼") : ""));
            button.addEventListener("click", () => this.sortBy(key, numeric));
            return h("th", { scope: "col", class: numeric ? "num" : undefined, "aria-sort": sorted ? direction : undefined }, button);
          }),
        ),
      ),
      h(
        "tbody",
        {},
        ...rows.map((s) => {
          const label = h("button", { type: "button", class: "link", title: `Show ${s.segment}` }, s.segment);
          label.addEventListener("click", () => this.choose(s.segment));
          const score = s.score;
          const ci = score?.confidenceInterval;
          return h(
            "tr",
            { class: score?.lowSample ? "low-sample" : undefined },
            h("th", { scope: "row" }, label),
            h("td", { class: "num" }, score?.nps === undefined ? "–" : format.bound(score.nps)),
            h("td", { class: "num" }, ci ? `${format.bound(ci.lower)} to ${format.bound(ci.upper)}` : "–"),
            h("td", { class: "num" }, format.count(score?.total ?? 0n), score?.lowSample ? h("span", { class: "flag", title: "Under 30 responses: too few to act on" }, " (few)") : null),
          );
        }),
      ),
    );
  }

  /** The first click on a column sorts it the way one reads it first: names A to Z, numbers highest first. */
  private sortBy(column: Column, numeric: boolean): void {
    const direction: Direction =
      this.sort.column === column ? (this.sort.direction === "ascending" ? "descending" : "ascending") : numeric ? "descending" : "ascending";
    this.sort = { column, direction };
    this.render();
    this.table.querySelector<HTMLButtonElement>(`thead th[aria-sort] button`)?.focus();
  }
}

function compare(a: SegmentScore, b: SegmentScore, column: Column): number {
  switch (column) {
    case "segment":
      return a.segment.localeCompare(b.segment);
    case "total":
      return Number((a.score?.total ?? 0n) - (b.score?.total ?? 0n));
    case "lower":
      return (a.score?.confidenceInterval?.lower ?? -Infinity) - (b.score?.confidenceInterval?.lower ?? -Infinity);
    default:
      return (a.score?.nps ?? -Infinity) - (b.score?.nps ?? -Infinity);
  }
}
