import { runInNewContext } from 'node:vm';

/** A DOM just large enough for the dashboard script: elements record text, class and children. */
export class FakeElement {
  children: FakeElement[] = [];
  textContent = '';
  className = '';
  colSpan = 1;
  readonly classes = new Set<string>();
  readonly classList = { add: (c: string) => this.classes.add(c), remove: (c: string) => this.classes.delete(c) };
  constructor(readonly tag: string) {}
  appendChild(child: FakeElement): FakeElement {
    this.children.push(child);
    return child;
  }
  replaceChildren(): void {
    this.children = [];
  }
  /** Every text below this element, depth first. */
  text(): string[] {
    return [this.textContent, ...this.children.flatMap((c) => c.text())].filter(Boolean);
  }
}

/** Runs the dashboard's inline script against a fake DOM, with `fetch` answered by `fetcher`. */
export function runDashboard(html: string, pathname: string, fetcher: (path: string) => Promise<Response>) {
  const script = /<script>([\s\S]*)<\/script>/.exec(html)![1]!;
  const byId = new Map(['updated', 'summary', 'banner', 'rows'].map((id) => [id, new FakeElement('div')]));
  const fetched: string[] = [];
  const context = {
    location: { pathname },
    document: {
      body: new FakeElement('body'),
      getElementById: (id: string) => byId.get(id),
      createElement: (tag: string) => new FakeElement(tag),
    },
    fetch: (path: string) => (fetched.push(path), fetcher(path)),
    setTimeout: () => 0, // one refresh is enough
    Promise,
    JSON,
    Date,
  };
  runInNewContext(script, context);
  return { byId, fetched, body: context.document.body };
}
