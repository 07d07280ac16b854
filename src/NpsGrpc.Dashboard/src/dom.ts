// Building the page from data without HTML strings: every text a respondent or the server wrote goes in as text.

type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined>;

/** `h("td", { class: "num" }, "20")`: an element with its attributes (false and undefined left out) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? "" : String(value));
  }
  element.append(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
  return element;
}

export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the page has no #${id}`);
  return element as T;
}

/** Replaces an element's children. */
export function fill(element: Element, ...children: Child[]): void {
  element.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
}

/** A section's message in place of its content: `tone` "info" (nothing to show), "warning" or "error". */
export function note(text: string, tone: "info" | "warning" | "error" = "info"): HTMLParagraphElement {
  return h("p", { class: `note ${tone}`, role: tone === "error" ? "alert" : undefined }, text);
}

/**
 * Gives a select these options (value and label), keeping what was chosen when it is still offered. Options that
 * did not change are left alone, so a live refresh does not close a list a person has open.
 */
export function setOptions(select: HTMLSelectElement, options: readonly (readonly [value: string, label: string])[]): void {
  const same = select.options.length === options.length && options.every(([value, label], i) => select.options[i].value === value && select.options[i].text === label);
  if (same) return;
  const chosen = select.value;
  fill(select, ...options.map(([value, label]) => h("option", { value }, label)));
  select.value = options.some(([value]) => value === chosen) ? chosen : (options[0]?.[0] ?? "");
}
