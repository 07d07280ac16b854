// The score over time with its confidence interval as a band: per day, ISO week or month, or a 30-day rolling score
// per day. The chart is drawn by Chart.js; the same points are in a table for screen readers and for copying.
import {
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartDataset,
} from "chart.js";
import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Granularity, type TrendPoint } from "@npsgrpc/client/web";
import type { ViewContext } from "../context";
import { byId, fill, h, note } from "../dom";
import * as format from "../format";
import type { TrendKind } from "../scope";

Chart.register(CategoryScale, LinearScale, LineController, LineElement, PointElement, Filler, Legend, Tooltip);

const day = 86_400_000;

interface Periods {
  granularity: Granularity;
  start: Date;
  rollingDays: number;
  count: number;
  label(start: Date): string;
  caption: string;
}

/** The periods each view asks for, ending with the period that contains today (UTC). */
export function periods(view: TrendKind, now = new Date()): Periods {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  switch (view) {
    case "week": {
      const monday = today - ((new Date(today).getUTCDay() + 6) % 7) * day;
      return { granularity: Granularity.WEEK, start: new Date(monday - 11 * 7 * day), rollingDays: 0, count: 12, label: (d) => `w/c ${format.shortDay(d)}`, caption: "weekly (ISO weeks, Monday to Sunday), the last 12 weeks" };
    }
    case "month":
      return { granularity: Granularity.MONTH, start: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1)), rollingDays: 0, count: 12, label: format.month, caption: "monthly, the last 12 months" };
    case "rolling30":
      return { granularity: Granularity.DAY, start: new Date(today - 89 * day), rollingDays: 30, count: 90, label: format.shortDay, caption: "each day's score over the 30 days ending with it, the last 90 days" };
    default:
      return { granularity: Granularity.DAY, start: new Date(today - 29 * day), rollingDays: 0, count: 30, label: format.shortDay, caption: "daily, the last 30 days" };
  }
}

export class TrendChart {
  private readonly canvas = byId<HTMLCanvasElement>("trend-chart");
  private readonly caption = byId("trend-caption");
  private readonly table = byId("trend-table");
  private readonly message = byId("trend-message");
  private chart: Chart<"line", (number | null)[], string> | undefined;

  async load(context: ViewContext): Promise<void> {
    const { client, scope, signal } = context;
    const asked = periods(scope.trend);
    try {
      const reply = await client.getScoreTrend(
        {
          productId: scope.product,
          segment: scope.segment,
          startTime: timestampFromDate(asked.start),
          granularity: asked.granularity,
          rollingWindowDays: asked.rollingDays,
        },
        { signal },
      );
      this.show(reply.points, asked);
    } catch (error) {
      const problem = context.problem(error, "read the trend", "read");
      if (problem.kind === "aborted") return;
      this.clear();
      fill(this.message, note(problem.message, problem.kind === "empty" ? "info" : "error"));
    }
  }

  private show(points: TrendPoint[], asked: Periods): void {
    const starts = points.map((p) => (p.periodStart ? timestampDate(p.periodStart) : new Date(Number.NaN)));
    const labels = starts.map((d) => asked.label(d));
    const nps = points.map((p) => p.score?.nps ?? null);
    const lower = points.map((p) => (p.score?.nps === undefined ? null : p.score.confidenceInterval?.lower ?? null));
    const upper = points.map((p) => (p.score?.nps === undefined ? null : p.score.confidenceInterval?.upper ?? null));
    const scored = nps.filter((v) => v !== null).length;
    const confidence = points.find((p) => p.score?.confidenceInterval)?.score?.confidenceInterval?.confidencePercent ?? 95;

    fill(this.message, scored === 0 ? note("No responses in these periods.") : null);
    fill(
      this.caption,
      `${format.plural(points.length, "point")}, ${asked.caption}` +
        (points.length > 0 ? ` (${format.isoDay(starts[0])} to ${format.isoDay(new Date(timestampDate(points[points.length - 1].periodEnd!).getTime() - day))}, UTC)` : "") +
        `; ${format.count(scored)} with responses.`,
    );
    this.canvas.dataset.points = String(points.length);
    this.canvas.dataset.scoredPoints = String(scored);
    this.canvas.setAttribute("aria-label", `NPS ${asked.caption}: ${format.plural(points.length, "point")}, ${format.count(scored)} with responses. The table below lists them.`);

    const band = "rgba(29, 78, 216, 0.16)";
    const datasets: ChartDataset<"line", (number | null)[]>[] = [
      { label: "lower", data: lower, borderWidth: 0, pointRadius: 0, pointHitRadius: 0, fill: false },
      { label: `${format.percent(confidence)} interval`, data: upper, borderWidth: 0, pointRadius: 0, pointHitRadius: 0, backgroundColor: band, fill: "-1" },
      { label: "NPS", data: nps, borderColor: "#1d4ed8", backgroundColor: "#1d4ed8", borderWidth: 2, pointRadius: points.length > 40 ? 0 : 3, spanGaps: false, fill: false },
    ];
    if (this.chart === undefined) {
      this.chart = new Chart<"line", (number | null)[], string>(this.canvas, {
        type: "line",
        data: { labels, datasets },
        options: {
          animation: false,
          maintainAspectRatio: false,
          interaction: { mode: "index", intersect: false },
          scales: {
            x: { ticks: { color: "#374151", maxRotation: 0, autoSkip: true, autoSkipPadding: 12 }, grid: { display: false } },
            y: { ticks: { color: "#374151" }, title: { display: true, text: "NPS", color: "#374151" }, grid: { color: "#e5e7eb" } },
          },
          plugins: {
            legend: { labels: { color: "#1f2937", filter: (item) => item.text !== "lower" } },
            tooltip: {
              filter: (item) => item.datasetIndex === 2,
              callbacks: {
                label: (item) => {
                  const i = item.dataIndex;
                  return nps[i] === null ? "no responses" : `NPS ${format.nps(nps[i]!)} (${format.bound(lower[i]!)} to ${format.bound(upper[i]!)})`;
                },
              },
            },
          },
        },
      });
    } else {
      this.chart.data.labels = labels;
      this.chart.data.datasets = datasets;
      this.chart.update();
    }

    fill(
      this.table,
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Period"), h("th", { scope: "col" }, "NPS"), h("th", { scope: "col" }, "Interval"), h("th", { scope: "col" }, "Responses"))),
      h(
        "tbody",
        {},
        ...points.map((p, i) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, format.isoDay(starts[i])),
            h("td", { class: "num" }, nps[i] === null ? "–" : format.bound(nps[i]!)),
            h("td", { class: "num" }, nps[i] === null ? "–" : `${format.bound(lower[i]!)} to ${format.bound(upper[i]!)}`),
            h("td", { class: "num" }, format.count(p.score?.total ?? 0n)),
          ),
        ),
      ),
    );
  }

  private clear(): void {
    this.chart?.destroy();
    this.chart = undefined;
    fill(this.caption);
    fill(this.table);
    delete this.canvas.dataset.points;
    delete this.canvas.dataset.scoredPoints;
  }
}
