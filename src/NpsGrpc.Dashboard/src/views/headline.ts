// The score as it stands: the NPS with its confidence interval, a warning under 30 responses, the three groups,
// and the 0-10 answers as bars coloured by category.
import type { Score } from "@npsgrpc/client/web";
import { byId, fill, h, note } from "../dom";
import * as format from "../format";

const categoryOf = (answer: number): "detractor" | "passive" | "promoter" =>
  answer <= 6 ? "detractor" : answer <= 8 ? "passive" : "promoter";

export class HeadlineView {
  private readonly value = byId("nps-value");
  private readonly interval = byId("nps-interval");
  private readonly lowSample = byId("low-sample");
  private readonly groups = byId("groups");
  private readonly bars = byId("bars");

  show(score: Score): void {
    const total = score.total;
    if (total === 0n || score.nps === undefined) {
      fill(this.value, "–");
      fill(this.interval, "No responses yet.");
      this.lowSample.hidden = true;
      fill(this.groups);
      this.showBars(score);
      return;
    }

    fill(this.value, format.nps(score.nps));
    const ci = score.confidenceInterval;
    fill(
      this.interval,
      ci ? `${format.percent(ci.confidencePercent)} confidence: ${format.bound(ci.lower)} to ${format.bound(ci.upper)}` : "",
    );
    this.lowSample.hidden = !score.lowSample;
    fill(
      this.lowSample,
      `Only ${format.plural(total, "response")}: under 30, too few to act on. The interval shows how far the true score may be.`,
    );
    fill(
      this.groups,
      ...([
        ["promoter", "Promoters", score.promoters, score.promoterPercent],
        ["passive", "Passives", score.passives, score.passivePercent],
        ["detractor", "Detractors", score.detractors, score.detractorPercent],
      ] as const).map(([category, label, n, share]) =>
        h("div", { class: `group ${category}` }, h("dt", {}, label), h("dd", {}, `${format.count(n)} (${format.percent(share)})`)),
      ),
      h("div", { class: "group total" }, h("dt", {}, "Responses"), h("dd", {}, format.count(total))),
    );
    this.showBars(score);
  }

  showProblem(message: string, tone: "info" | "error"): void {
    fill(this.value, "–");
    fill(this.interval, note(message, tone));
    this.lowSample.hidden = true;
    fill(this.groups);
    fill(this.bars);
  }

  /** One bar per answer, its height relative to the most frequent answer, its count written under it. */
  private showBars(score: Score): void {
    const counts = score.distribution.length === 11 ? score.distribution : Array.from({ length: 11 }, () => 0n);
    const highest = counts.reduce((a, b) => (b > a ? b : a), 0n);
    fill(
      this.bars,
      ...counts.map((n, answer) => {
        const category = categoryOf(answer);
        const height = highest === 0n ? 0 : Number((n * 1000n) / highest) / 10;
        const bar = h("span", { class: "fill", "aria-hidden": "true" });
        // Through the CSSOM: the page's Content-Security-Policy allows no inline style attributes.
        bar.style.height = `${height}%`;
        return h(
          "li",
          { class: `bar ${category}`, "aria-label": `${answer}: ${format.plural(n, "response")} (${category})` },
          h("span", { class: "count", "aria-hidden": "true" }, format.count(n)),
          bar,
          h("span", { class: "answer", "aria-hidden": "true" }, String(answer)),
        );
      }),
    );
  }
}
