// What customers wrote: the latest detractors with their comments (records hold personal data, so the API key
// needs the follow_up scope) and the words that set detractors' comments apart from promoters'.
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { ScoreCategory, type KeyTerm } from "@npsgrpc/client/web";
import type { ViewContext } from "../context";
import { byId, fill, h, note } from "../dom";
import * as format from "../format";

const latest = 8;

export class DetractorsView {
  private readonly list = byId("detractor-list");
  private readonly message = byId("detractors-message");

  async load(context: ViewContext): Promise<void> {
    const { client, scope, signal } = context;
    try {
      const reply = await client.listResponses(
        { productId: scope.product, segment: scope.segment, categories: [ScoreCategory.DETRACTOR], onlyWithComment: true, pageSize: latest },
        { signal },
      );
      fill(this.message, reply.records.length === 0 ? note("No detractor has left a comment yet.") : null);
      fill(
        this.list,
        ...reply.records.map((record) => {
          const answered = record.answeredAt ? timestampDate(record.answeredAt) : undefined;
          const labels = Object.entries(record.segments).map(([key, value]) => `${key}=${value}`);
          return h(
            "li",
            { class: "record" },
            h("span", { class: "score-badge detractor", title: "Their answer, 0 to 10" }, String(record.score)),
            h(
              "div",
              {},
              h("blockquote", { lang: record.languageCode || undefined }, record.comment),
              h(
                "p",
                { class: "meta" },
                answered ? h("time", { datetime: answered.toISOString() }, `${format.isoDay(answered)} ${format.clock(record.answeredAt)}`) : null,
                labels.length ? ` · ${labels.join(", ")}` : null,
                record.followUps.length ? ` · followed up by ${record.followUps.map((f) => f.group).join(", ")}` : null,
              ),
            ),
          );
        }),
      );
    } catch (error) {
      const problem = context.problem(error, "list detractors' comments, which hold personal data", "follow_up");
      if (problem.kind === "aborted") return;
      fill(this.list);
      fill(this.message, note(problem.message, problem.kind === "scope" ? "warning" : problem.kind === "empty" ? "info" : "error"));
    }
  }
}

export class KeyTermsView {
  private readonly detractorTerms = byId("detractor-terms");
  private readonly promoterTerms = byId("promoter-terms");
  private readonly message = byId("terms-message");

  async load(context: ViewContext): Promise<void> {
    const { client, scope, signal } = context;
    try {
      const reply = await client.getKeyTerms({ productId: scope.product, maxTerms: 10 }, { signal });
      const comments = `${format.plural(reply.detractorCommentCount, "detractor comment")} and ${format.plural(reply.promoterCommentCount, "promoter comment")} in the last three months`;
      fill(
        this.message,
        note(reply.detractorTerms.length + reply.promoterTerms.length === 0 ? `No word stands out yet (${comments}).` : `From ${comments}.`),
      );
      fill(this.detractorTerms, ...reply.detractorTerms.map((t) => term(t, t.detractorCount)));
      fill(this.promoterTerms, ...reply.promoterTerms.map((t) => term(t, t.promoterCount)));
    } catch (error) {
      const problem = context.problem(error, "read the key terms", "read");
      if (problem.kind === "aborted") return;
      fill(this.detractorTerms);
      fill(this.promoterTerms);
      fill(this.message, note(problem.message, problem.kind === "empty" ? "info" : "error"));
    }
  }
}

const term = (t: KeyTerm, uses: bigint) =>
  h("li", { title: `z = ${t.zScore.toFixed(1)}` }, h("span", { class: "term" }, t.term), h("span", { class: "uses" }, ` ${format.count(uses)}×`));
