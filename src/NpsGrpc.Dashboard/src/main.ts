// The dashboard: picks a product (and a segment), then loads every view for it and keeps the headline live.
import { connect, describe, KeyStore, type NpsClient, type Problem } from "./api";
import type { ViewContext } from "./context";
import { byId, fill, h, setOptions } from "./dom";
import { productPattern, readScope, recentProducts, rememberProduct, writeScope, type Scope, type TrendKind } from "./scope";
import { CompareView } from "./views/compare";
import { HeadlineView } from "./views/headline";
import { LiveScore } from "./views/live";
import { SegmentsView } from "./views/segments";
import { TrendChart } from "./views/trend";
import { DetractorsView, KeyTermsView } from "./views/voices";

/** Live changes reload the slower views at most this often. */
const followInterval = 5_000;

class Dashboard {
  private readonly keys = new KeyStore();
  private client: NpsClient | Problem = connect(this.keys.get());
  private readonly productInput = byId<HTMLInputElement>("product");
  private readonly segmentSelect = byId<HTMLSelectElement>("segment");
  private readonly trendSelect = byId<HTMLSelectElement>("trend-kind");
  private readonly keyForm = byId<HTMLFormElement>("key-form");
  private readonly keyInput = byId<HTMLInputElement>("api-key");
  private readonly keyMessage = byId("key-message");
  private readonly main = byId("dashboard");
  private readonly welcome = byId("welcome");

  private readonly headline = new HeadlineView();
  private readonly live = new LiveScore(this.headline, () => this.follow());
  private readonly trend = new TrendChart();
  private readonly segments = new SegmentsView((segment) => this.show({ ...this.scope, segment }));
  private readonly compare = new CompareView();
  private readonly detractors = new DetractorsView();
  private readonly keyTerms = new KeyTermsView();

  private scope: Scope = readScope();
  private loading: AbortController | undefined;
  private followTimer: number | undefined;
  private keyProblem: Problem | undefined;

  start(): void {
    this.productInput.pattern = productPattern;
    byId("scope-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const product = this.productInput.value.trim();
      this.show({ ...this.scope, product, segment: product === this.scope.product ? this.segmentSelect.value : "" });
    });
    this.segmentSelect.addEventListener("change", () => this.show({ ...this.scope, segment: this.segmentSelect.value }));
    this.trendSelect.addEventListener("change", () => {
      this.scope = { ...this.scope, trend: this.trendSelect.value as TrendKind };
      writeScope(this.scope);
      if (this.scope.product !== "" && !("kind" in this.client)) void this.trend.load(this.context(this.loading!.signal));
    });
    this.keyForm.addEventListener("submit", (event) => {
      event.preventDefault();
      this.useKey(this.keyInput.value.trim() || undefined);
      this.keyInput.value = "";
    });
    byId("forget-key").addEventListener("click", () => this.useKey(undefined));
    this.keyForm.hidden = this.keys.get() === undefined;
    this.show(this.scope);
  }

  private useKey(key: string | undefined): void {
    this.keys.set(key);
    this.client = connect(key);
    this.show(this.scope);
  }

  /** Shows `scope`: every view loads anew, and whatever the previous scope was still loading is cancelled. */
  private show(scope: Scope): void {
    const fresh = scope.product !== this.scope.product || this.loading === undefined;
    this.scope = scope;
    writeScope(scope);
    this.loading?.abort();
    clearTimeout(this.followTimer);
    this.followTimer = undefined;
    this.loading = new AbortController();
    this.keyProblem = undefined;
    this.showKeyState();

    if (scope.product !== "") rememberProduct(scope.product);
    this.productInput.value = scope.product;
    this.trendSelect.value = scope.trend;
    if (fresh) setOptions(this.segmentSelect, [["", "All responses"], ...(scope.segment ? [[scope.segment, scope.segment] as const] : [])]);
    this.segmentSelect.value = scope.segment;
    fill(byId("recent-products"), ...recentProducts().map((p) => h("option", { value: p })));
    this.main.hidden = scope.product === "";
    this.welcome.hidden = scope.product !== "";
    document.title = scope.product ? `NPS · ${scope.product}${scope.segment ? ` · ${scope.segment}` : ""}` : "NPS dashboard";
    if (scope.product === "") {
      this.productInput.focus();
      return;
    }

    if ("kind" in this.client) {
      this.keyProblem = this.client;
      this.showKeyState();
      return;
    }

    const context = this.context(this.loading.signal);
    void this.live.run(context);
    void this.loadSlowViews(context, fresh);
  }

  private async loadSlowViews(context: ViewContext, fresh: boolean): Promise<void> {
    const segments = this.segments.load(context);
    await Promise.all([
      this.trend.load(context),
      this.detractors.load(context),
      this.keyTerms.load(context),
      segments.then((list) => {
        if (context.signal.aborted) return;
        const labels = list.map((s) => s.segment);
        // A segment named in the address but not (or not yet) among the labels stays chosen.
        if (context.scope.segment && !labels.includes(context.scope.segment)) labels.push(context.scope.segment);
        setOptions(this.segmentSelect, [["", "All responses"], ...labels.map((l) => [l, l] as const)]);
        this.segmentSelect.value = context.scope.segment;
        return this.compare.load(context, list, fresh);
      }),
    ]);
  }

  /** A new score arrived: the trend, leaderboard, comparison and comments follow, at most every few seconds. */
  private follow(): void {
    if (this.followTimer !== undefined || this.loading === undefined) return;
    const signal = this.loading.signal;
    this.followTimer = window.setTimeout(() => {
      this.followTimer = undefined;
      if (!signal.aborted) void this.loadSlowViews(this.context(signal), false);
    }, followInterval);
  }

  private context(signal: AbortSignal): ViewContext {
    return {
      client: this.client as NpsClient,
      scope: this.scope,
      signal,
      problem: (error, what, keyScope) => {
        const problem = signal.aborted ? ({ kind: "aborted", message: "" } as const) : describe(error, what, keyScope, this.keys.get() !== undefined);
        if (problem.kind === "key" && this.keyProblem === undefined) {
          this.keyProblem = problem;
          this.showKeyState();
        }
        return problem;
      },
    };
  }

  /** The key field is there when this tab has a key or the server asked for one; a refusal is said beside it. */
  private showKeyState(): void {
    const problem = this.keyProblem;
    this.keyForm.hidden = problem === undefined && this.keys.get() === undefined;
    this.keyForm.dataset.state = problem ? "refused" : this.keys.get() ? "set" : "none";
    fill(this.keyMessage, problem?.message ?? (this.keys.get() ? "A key is set for this tab." : ""));
    this.keyMessage.setAttribute("role", problem ? "alert" : "status");
    if (problem) this.keyInput.focus();
  }
}

new Dashboard().start();
