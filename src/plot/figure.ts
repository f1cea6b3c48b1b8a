/**
 * A rendered Observable Plot figure: standalone SVG, PNG through resvg, files, and inline display in Jupyter.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import { TinyRnnInputError } from "../options.ts";

const SVG_NS = "http://www.w3.org/2000/svg";

/** The part of the DOM Element interface the figure code uses (Deno's default types have no DOM). */
export interface DomElement {
  readonly tagName: string;
  readonly children: ArrayLike<DomElement>;
  readonly outerHTML: string;
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
}

/** A fresh linkedom document for Plot to render into. */
export function newDocument(): unknown {
  return (parseHTML("<html><body></body></html>") as unknown as { document: unknown }).document;
}

/** Options of `Figure.png`. */
export interface PngOptions {
  /** Pixels per SVG unit (default 2). */
  scale?: number;
  /** Background colour (default `"white"`; SVG figures are transparent). */
  background?: string;
}

/**
 * A figure: one standalone SVG document, rendered on demand to PNG. It shows inline in Deno's Jupyter kernel
 * when it is the value of a cell.
 *
 * @example
 * ```ts
 * import { cognitive, portrait, simulate, tasks } from "@tinyrnn/tinyrnn";
 * const data = simulate(cognitive("MF", { alpha: 0.5, iTemp: 2 }), tasks.bandit(), { blocks: 20, trials: 20, seed: 1 });
 * const model = cognitive("MB0s", { alpha: 0.5, iTemp: 2 });
 * const figure = portrait(model, data);
 * await figure.save("portrait.svg");
 * await Deno.writeFile("portrait.png", await figure.png({ scale: 3 }));
 * ```
 */
export class Figure {
  readonly #svg: string;

  /** Wrap the element `Plot.plot` returned (an `<svg>`, or a `<figure>` holding legends and the plot). */
  constructor(element: DomElement) {
    this.#svg = standaloneSvg(element);
  }

  /** The figure as a standalone SVG document (with the SVG namespace). */
  svg(): string {
    return this.#svg;
  }

  /**
   * The figure rasterised with resvg, using the system fonts (DejaVu Sans when the CSS asks for sans-serif).
   * The renderer is a native module, loaded on the first PNG only, so that code which never makes a PNG needs
   * no `--allow-ffi` (nor `--allow-sys`).
   */
  async png(options: PngOptions = {}): Promise<Uint8Array> {
    const scale = options.scale ?? 2;
    if (!(scale > 0)) throw new TinyRnnInputError(`Figure.png: scale must be > 0, got ${scale}`);
    const { Resvg } = await import("@resvg/resvg-js");
    const resvg = new Resvg(this.#svg, {
      background: options.background ?? "white",
      fitTo: { mode: "zoom", value: scale },
      font: {
        loadSystemFonts: true,
        defaultFontFamily: "DejaVu Sans",
        sansSerifFamily: "DejaVu Sans",
        monospaceFamily: "DejaVu Sans Mono",
      },
    });
    return resvg.render().asPng();
  }

  /** Write the figure to `path`: SVG or PNG by the extension (a PNG needs `--allow-ffi`, see `png`). */
  async save(path: string, options: PngOptions = {}): Promise<void> {
    const lower = path.toLowerCase();
    if (lower.endsWith(".svg")) await Deno.writeTextFile(path, this.#svg);
    else if (lower.endsWith(".png")) await Deno.writeFile(path, await this.png(options));
    else throw new TinyRnnInputError(`Figure.save: ${path}: the file name must end in .svg or .png`);
  }

  /** Deno's Jupyter kernel calls this to show the figure inline. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return { "image/svg+xml": this.#svg };
  }
}

/** Run `Plot.plot` in a linkedom document and wrap the result. */
export function plotFigure(options: Plot.PlotOptions): Figure {
  const document = newDocument();
  return new Figure(Plot.plot({ ...options, document } as Plot.PlotOptions) as unknown as DomElement);
}

function numberAttribute(element: DomElement, name: string, fallback: number): number {
  const value = Number.parseFloat(element.getAttribute(name) ?? "");
  return Number.isFinite(value) ? value : fallback;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Average glyph advance of DejaVu Sans at 10px, to lay out swatch legends without a text-measuring engine. */
const CHAR_WIDTH = 6.2;

/** Left inset of titles and legends, so they do not touch the image edge. */
const INSET = 8;

/**
 * One SVG document for what Plot returned. A bare `<svg>` just gains the namespace; a `<figure>` (title,
 * swatch legends, ramp legends, the plot, a caption) is laid out top to bottom as nested SVG content, because
 * HTML legends do not survive outside a browser.
 */
function standaloneSvg(element: DomElement): string {
  const tag = element.tagName.toLowerCase();
  if (tag === "svg") {
    element.setAttribute("xmlns", SVG_NS);
    return element.outerHTML;
  }
  if (tag !== "figure") {
    throw new TinyRnnInputError(`Figure: expected <svg> or <figure> from Plot, got <${tag}>`);
  }
  const children = Array.from(element.children) as DomElement[];
  const width = Math.max(
    0,
    ...children.filter((c) => c.tagName.toLowerCase() === "svg").map((c) => numberAttribute(c, "width", 0)),
  ) || 640;
  const parts: string[] = [];
  let y = 0;
  const textLine = (text: string, size: number, weight: string) => {
    y += size * 1.4;
    parts.push(
      `<text x="${INSET}" y="${y - size * 0.35}" font-size="${size}" font-weight="${weight}">${
        escapeXml(text)
      }</text>`,
    );
  };
  for (const child of children) {
    const name = child.tagName.toLowerCase();
    const className = child.getAttribute("class") ?? "";
    if (name === "svg") {
      const height = numberAttribute(child, "height", 0);
      child.setAttribute("x", "0");
      child.setAttribute("y", String(y));
      parts.push(child.outerHTML);
      y += height;
    } else if (name === "h2") textLine(child.textContent ?? "", 16, "bold");
    else if (name === "h3") textLine(child.textContent ?? "", 12, "normal");
    else if (name === "figcaption") textLine(child.textContent ?? "", 10, "normal");
    else if (name === "div" && className.includes("swatches")) {
      let x = INSET;
      const rowHeight = 20;
      y += 4;
      for (const swatch of Array.from(child.children) as DomElement[]) {
        if (swatch.tagName.toLowerCase() !== "span") continue;
        const box = swatch.querySelector("svg");
        const label = (swatch.textContent ?? "").trim();
        const itemWidth = 15 + 6 + label.length * CHAR_WIDTH + 14;
        if (x > INSET && x + itemWidth > width) {
          x = INSET;
          y += rowHeight;
        }
        const fill = box?.getAttribute("fill") ?? "none";
        const stroke = box?.getAttribute("stroke") ?? "none";
        parts.push(
          `<g transform="translate(${x},${y})"><rect width="15" height="15" fill="${
            escapeXml(fill)
          }" stroke="${escapeXml(stroke)}"/><text x="21" y="11.5" font-size="10">${
            escapeXml(label)
          }</text></g>`,
        );
        x += itemWidth;
      }
      y += rowHeight + 4;
    }
  }
  return `<svg xmlns="${SVG_NS}" width="${width}" height="${Math.ceil(y)}" viewBox="0 0 ${width} ${
    Math.ceil(y)
  }" font-family="system-ui, sans-serif" font-size="10" fill="currentColor">${parts.join("")}</svg>`;
}
