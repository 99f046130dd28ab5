// The sign-in method chooser. Tabs are made from the `<section data-method data-label>` panels
// in the page that the tenant offers, so a new method drops in as a panel plus its handler.
// Keyboard use follows the WAI-ARIA tabs pattern (arrows, Home, End, automatic activation).

export interface MethodTabs {
  /** Methods that have both a panel here and the tenant's consent, in page order. */
  readonly methods: string[];
  /** Shows a method's panel; an unknown or unoffered method falls back to the first one. */
  select(method: string, moveFocus?: boolean): string | undefined;
}

/** `onSelect` hears every change of the shown method (a method may start or stop work with it). */
export function buildMethodTabs(tablist: HTMLElement, offered: readonly string[], onSelect: (method: string) => void = () => {}): MethodTabs {
  const tabs: HTMLButtonElement[] = [];
  const panels = new Map<HTMLButtonElement, HTMLElement>();
  for (const panel of document.querySelectorAll<HTMLElement>("section[data-method]")) {
    const method = panel.dataset.method ?? "";
    panel.hidden = true;
    if (!offered.includes(method)) continue;
    const tab = document.createElement("button");
    tab.type = "button";
    tab.id = `tab-${method}`;
    tab.dataset.method = method;
    tab.textContent = panel.dataset.label ?? method;
    tab.setAttribute("role", "tab");
    panel.id ||= `panel-${method}`;
    tab.setAttribute("aria-controls", panel.id);
    panel.setAttribute("role", "tabpanel");
    if (!panel.hasAttribute("aria-label")) panel.setAttribute("aria-labelledby", tab.id);
    tab.addEventListener("click", () => select(method));
    tablist.append(tab);
    tabs.push(tab);
    panels.set(tab, panel);
  }

  function select(method: string, moveFocus = false): string | undefined {
    const chosen = tabs.find((tab) => tab.dataset.method === method) ?? tabs[0];
    for (const tab of tabs) {
      const selected = tab === chosen;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
      const panel = panels.get(tab);
      if (panel) panel.hidden = !selected;
    }
    if (moveFocus) chosen?.focus();
    if (chosen?.dataset.method) onSelect(chosen.dataset.method);
    return chosen?.dataset.method;
  }

  tablist.addEventListener("keydown", (event) => {
    const current = tabs.findIndex((tab) => tab === document.activeElement);
    if (current < 0) return;
    const last = tabs.length - 1;
    const next = { ArrowRight: current + 1, ArrowDown: current + 1, ArrowLeft: current - 1, ArrowUp: current - 1, Home: 0, End: last }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = tabs[(next + tabs.length) % tabs.length];
    if (target) select(target.dataset.method ?? "", true);
  });

  return { methods: tabs.map((tab) => tab.dataset.method ?? ""), select };
}
