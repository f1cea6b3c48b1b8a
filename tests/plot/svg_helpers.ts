/**
 * Parse the figures' SVG back with linkedom for the plot tests.
 *
 * @module
 */

import { DOMParser } from "linkedom";
import type { DomElement } from "../../src/plot/figure.ts";

/** The root `<svg>` element of a standalone SVG string. */
export function parseSvg(svg: string): DomElement {
  const document = new DOMParser().parseFromString(svg, "image/svg+xml") as unknown as {
    documentElement: DomElement;
  };
  return document.documentElement;
}

/** All elements matching a selector. */
export function all(root: DomElement, selector: string): DomElement[] {
  return Array.from(root.querySelectorAll(selector));
}

/** The text of every `<text>` element (with its tspans). */
export function texts(root: DomElement): string[] {
  return all(root, "text").map((t) => (t.textContent ?? "").trim());
}

/** The `<circle>` elements of the dot marks. */
export function dots(root: DomElement): DomElement[] {
  return all(root, 'g[aria-label="dot"] circle');
}
