// Types of serve.mjs, for the tests that start it.
export interface ServeOptions {
  /** URL prefix ending in '/' → directory; the longest matching prefix wins. */
  mounts: Record<string, string>;
  /** Send COOP same-origin + COEP require-corp (default true). */
  isolate?: boolean;
  port?: number;
  host?: string;
}

export function serve(options: ServeOptions): Promise<{ url: string; close(): Promise<void> }>;
