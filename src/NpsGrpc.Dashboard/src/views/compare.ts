// Two scores compared, segments or periods, with CompareScores' test of the difference told in words:
// "region=eu is 12 points below region=us, significant at 95 %."
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { ComparisonVerdict, type CompareScoresResponse, type SegmentScore } from "@npsgrpc/client/web";
import type { ViewContext } from "../context";
import { byId, fill, note, setOptions } from "../dom";
import * as format from "../format";

type PeriodKey = "all" | "this-month" | "last-month" | "last-30" | "prior-30";

interface Side {
  segment: string;
  period: PeriodKey;
}

const day = 86_400_000;

/** Each period as [start, end) on UTC day boundaries, and its name mid-sentence. */
const periodChoices: readonly { key: PeriodKey; name: string; bounds?: (now: Date) => [Date, Date] }[] = [
  { key: "all", name: "all time" },
  { key: "this-month", name: "this month", bounds: (now) => [monthStart(now, 0), monthStart(now, 1)] },
  { key: "last-month", name: "last month", bounds: (now) => [monthStart(now, -1), monthStart(now, 0)] },
  { key: "last-30", name: "the last 30 days", bounds: (now) => [new Date(dayStart(now) - 29 * day), new Date(dayStart(now) + day)] },
  { key: "prior-30", name: "the 30 days before", bounds: (now) => [new Date(dayStart(now) - 59 * day), new Date(dayStart(now) - 29 * day)] },
];

const dayStart = (now: Date) => Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
const monthStart = (now: Date, months: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + months, 1));
const periodOf = (key: PeriodKey) => periodChoices.find((p) => p.key === key)!;
const segmentName = (segment: string) => segment || "all responses";

export class CompareView {
  private readonly form = byId<HTMLFormElement>("compare-form");
  private readonly pickers = [0, 1].map((i) => ({
    segment: byId<HTMLSelectElement>(`compare-segment-${i}`),
    period: byId<HTMLSelectElement>(`compare-period-${i}`),
  }));
  private readonly verdict = byId("verdict");
  private readonly detail = byId("compare-detail");
  private context: ViewContext | undefined;
  /** The comparison asked last; one asked before it is abandoned, so a slower earlier reply never shows. */
  private latest: AbortController | undefined;

  constructor() {
    for (const picker of this.pickers) {
      setOptions(picker.period, periodChoices.map((p) => [p.key, capitalise(p.name)] as const));
    }
    this.form.addEventListener("change", () => void this.compare());
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.compare();
    });
  }

  /**
   * Offers the product's segments; on a new product the first comparison is the two largest labels of the key with
   * the most labels (region=eu against region=us), or this month against last month when no key has two.
   */
  async load(context: ViewContext, segments: SegmentScore[], fresh: boolean): Promise<void> {
    this.context = context;
    for (const picker of this.pickers) {
      setOptions(picker.segment, [["", "All responses"], ...segments.map((s) => [s.segment, s.segment] as const)]);
    }
    if (fresh) this.choose(defaultSides(segments));
    await this.compare();
  }

  private choose(sides: [Side, Side]): void {
    for (const [i, side] of sides.entries()) {
      this.pickers[i].segment.value = side.segment;
      this.pickers[i].period.value = side.period;
    }
  }

  private sides(): [Side, Side] {
    const [a, b] = this.pickers.map((p) => ({ segment: p.segment.value, period: p.period.value as PeriodKey }));
    return [a, b];
  }

  private async compare(): Promise<void> {
    const context = this.context;
    if (context === undefined) return;
    const { client, scope } = context;
    this.latest?.abort();
    const mine = new AbortController();
    this.latest = mine;
    const signal = AbortSignal.any([context.signal, mine.signal]);
    const sides = this.sides();
    const now = new Date();
    const [first, second] = sides.map((side) => {
      const bounds = periodOf(side.period).bounds?.(now);
      return {
        productId: scope.product,
        segment: side.segment,
        startTime: bounds ? timestampFromDate(bounds[0]) : undefined,
        endTime: bounds ? timestampFromDate(bounds[1]) : undefined,
      };
    });
    this.verdict.dataset.state = "loading";
    try {
      const reply = await client.compareScores({ first, second }, { signal });
      if (mine.signal.aborted) return;
      fill(this.verdict, verdictSentence(reply, sides));
      fill(this.detail, detailSentence(reply));
      this.verdict.dataset.state = ComparisonVerdict[reply.verdict];
    } catch (error) {
      if (mine.signal.aborted) return;
      const problem = context.problem(error, "compare scores", "read");
      if (problem.kind === "aborted") return;
      this.verdict.dataset.state = "failed";
      fill(this.verdict, note(problem.message, problem.kind === "empty" ? "info" : "error"));
      fill(this.detail);
    }
  }
}

function defaultSides(segments: SegmentScore[]): [Side, Side] {
  // The key with the most labels (region rather than a two-valued plan), its two largest labels.
  const byKey = new Map<string, SegmentScore[]>();
  for (const s of segments) {
    const key = s.segment.slice(0, s.segment.indexOf("="));
    byKey.set(key, [...(byKey.get(key) ?? []), s]);
  }
  const labels = [...byKey.values()].filter((l) => l.length >= 2).sort((a, b) => b.length - a.length)[0];
  return labels
    ? [{ segment: labels[0].segment, period: "all" }, { segment: labels[1].segment, period: "all" }]
    : [{ segment: "", period: "this-month" }, { segment: "", period: "last-month" }];
}

/** What the test concludes, in one sentence naming both sides the way they differ (segment, period or both). */
export function verdictSentence(reply: CompareScoresResponse, [a, b]: [Side, Side]): string {
  const sameSegment = a.segment === b.segment;
  const samePeriod = a.period === b.period;
  const name = (side: Side) =>
    sameSegment && !samePeriod
      ? periodOf(side.period).name
      : samePeriod
        ? segmentName(side.segment)
        : `${segmentName(side.segment)} (${periodOf(side.period).name})`;
  const first = capitalise(name(a));
  const second = name(b);
  const level = format.percent(reply.first?.confidenceInterval?.confidencePercent ?? 95);
  const points = Math.abs(reply.difference);
  const gap =
    format.nps(points) === "0"
      ? `${first} and ${second} have the same NPS`
      : `${first} is ${format.nps(points)} point${format.nps(points) === "1" ? "" : "s"} ${reply.difference > 0 ? "above" : "below"} ${second}`;
  switch (reply.verdict) {
    case ComparisonVerdict.SIGNIFICANT:
      return `${gap}, significant at ${level}.`;
    case ComparisonVerdict.NOT_SIGNIFICANT:
      return `${gap}, not significant at ${level}: chance alone could explain it.`;
    default: {
      const thin = [reply.first, reply.second].map((s, i) => (s?.lowSample ? name([a, b][i]) : "")).filter(Boolean);
      return `${gap}, but there are too few responses to tell${thin.length ? `: ${thin.join(" and ")} ${thin.length > 1 ? "have" : "has"} fewer than 30` : ""}.`;
    }
  }
}

function detailSentence(reply: CompareScoresResponse): string {
  const side = (s: CompareScoresResponse["first"]) =>
    s?.nps === undefined ? "no score" : `${format.nps(s.nps)} (${format.plural(s.total, "response")})`;
  const interval = reply.differenceInterval;
  const p = Number.isNaN(reply.pValue) ? "" : reply.pValue < 0.001 ? ", p < 0.001" : `, p = ${reply.pValue.toPrecision(2)}`;
  return (
    `NPS ${side(reply.first)} against ${side(reply.second)}` +
    (interval ? `; the true difference lies between ${format.bound(interval.lower)} and ${format.bound(interval.upper)} points at ${format.percent(interval.confidencePercent)} confidence` : "") +
    `${p}.`
  );
}

const capitalise = (text: string) => (/^[a-z]+ /.test(text) ? text[0].toUpperCase() + text.slice(1) : text);
