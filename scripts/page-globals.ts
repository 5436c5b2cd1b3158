// Functions passed to page.evaluate run in the browser, but they are compiled with the Node program, which
// is typed without the DOM library (so that no product code can reach for `window` or `document`). What
// those functions use of the page is typed here, narrowly; each one starts with
// `const { document } = globalThis as unknown as PageGlobals;` (the cast leaves nothing in the code).

export interface PageNode {
  readonly textContent: string | null;
  readonly innerText: string;
  readonly tagName: string;
  /** Form controls. */
  readonly value: string;
  /** `<select>`. */
  readonly options: ArrayLike<{ value: string; label: string }>;
  /** `<tr>`. */
  readonly cells: ArrayLike<PageNode>;
  readonly ownerDocument: PageDocument;
  getAttribute(name: string): string | null;
  contains(other: PageNode | null): boolean;
  querySelectorAll(selectors: string): ArrayLike<PageNode> & Iterable<PageNode>;
}

export interface PageEvent {
  readonly target: PageNode | null;
}

export interface PageDocument {
  addEventListener(type: string, listener: (event: PageEvent) => void, capture?: boolean): void;
  readonly activeElement: PageNode | null;
  readonly documentElement: PageNode & { readonly scrollWidth: number; readonly clientWidth: number };
  readonly scrollingElement: { readonly scrollWidth: number; readonly clientWidth: number } | null;
  readonly body: PageNode & { readonly scrollWidth: number };
  readonly textContent: string | null;
  getElementById(id: string): PageNode | null;
  querySelector(selectors: string): PageNode | null;
  querySelectorAll(selectors: string): ArrayLike<PageNode> & Iterable<PageNode>;
}

export interface PageStorageArea {
  getItem(key: string): string | null;
}

export interface PageGlobals {
  document: PageDocument;
  sessionStorage: PageStorageArea;
  localStorage: PageStorageArea;
  history: { readonly state: unknown; readonly length: number };
  navigator: { clipboard: { readText(): Promise<string> } };
  performance: { now(): number };
  requestAnimationFrame(callback: (time: number) => void): number;
  PerformanceObserver: new (callback: (list: { getEntries(): { startTime: number; duration: number }[] }) => void) => {
    observe(options: { type: string; buffered?: boolean }): void;
  };
  getComputedStyle(element: PageNode): { color: string; backgroundColor: string; outlineStyle: string; outlineWidth: string; boxShadow: string };
}
