// What the page shows, kept in its address (so a view can be bookmarked and shared) and the products this browser
// looked at before (the API has no list of products: they come into being with their first response).

export type TrendKind = "day" | "week" | "month" | "rolling30";

export interface Scope {
  product: string;
  /** One label written key=value; "" for the whole product. */
  segment: string;
  trend: TrendKind;
}

const trendKinds: readonly TrendKind[] = ["day", "week", "month", "rolling30"];

/** The server's rule for product ids (nps.proto): 1 to 128 characters from [A-Za-z0-9._:-]. */
export const productPattern = "[A-Za-z0-9._:\\-]{1,128}";

export function readScope(): Scope {
  const query = new URLSearchParams(location.search);
  const trend = query.get("trend") as TrendKind | null;
  return {
    product: (query.get("product") ?? "").trim(),
    segment: query.get("segment") ?? "",
    trend: trend !== null && trendKinds.includes(trend) ? trend : "day",
  };
}

export function writeScope(scope: Scope): void {
  const query = new URLSearchParams();
  if (scope.product) query.set("product", scope.product);
  if (scope.segment) query.set("segment", scope.segment);
  if (scope.trend !== "day") query.set("trend", scope.trend);
  const search = query.toString();
  history.replaceState(null, "", search ? `?${search}` : location.pathname);
}

const recentItem = "nps.recentProducts";
const recentKept = 12;

export function recentProducts(): string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(recentItem) ?? "[]");
    return Array.isArray(value) ? value.filter((p): p is string => typeof p === "string") : [];
  } catch {
    return [];
  }
}

export function rememberProduct(product: string): void {
  const products = [product, ...recentProducts().filter((p) => p !== product)].slice(0, recentKept);
  localStorage.setItem(recentItem, JSON.stringify(products));
}
