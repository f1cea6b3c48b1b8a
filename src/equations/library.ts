/**
 * The candidate terms of an equation search: monomials of the variables up to an order, the constant, and
 * optionally sigmoid or tanh of each variable. A term is plain data (so a discovered rule saves as JSON and
 * turns back into a model) with a name for text, one for LaTeX, and an evaluator.
 *
 * @module
 */

import { TinyRnnInputError } from "../options.ts";

/** Nonlinear functions of one variable the library can add. */
export type LibraryFunction = "sigmoid" | "tanh";

/** The function names {@linkcode buildLibrary} accepts. */
export const LIBRARY_FUNCTIONS: readonly LibraryFunction[] = ["sigmoid", "tanh"];

/** One candidate term: the constant, a monomial, or a function of one variable. */
export type EquationTerm =
  /** The constant 1. */
  | { readonly kind: "constant" }
  /** `Π x_k^powers[k]` (one power per variable, total degree at least 1). */
  | { readonly kind: "monomial"; readonly powers: readonly number[] }
  /** `sigmoid(x_k)` or `tanh(x_k)`. */
  | { readonly kind: LibraryFunction; readonly variable: number };

/** Every monomial of `variables` variables with total degree exactly `degree`, in lexicographic order. */
function monomialsOfDegree(variables: number, degree: number): number[][] {
  if (variables === 1) return [[degree]];
  const out: number[][] = [];
  for (let first = degree; first >= 0; first--) {
    for (const rest of monomialsOfDegree(variables - 1, degree - first)) out.push([first, ...rest]);
  }
  return out;
}

/**
 * The library for `variables` variables: monomials of degree 1 to `order` (lowest degree first), then each
 * function of each variable, then the constant. The constant comes last so that printed equations read
 * "0.7 L + 1" rather than "1 + 0.7 L".
 *
 * @example
 * ```ts
 * import { buildLibrary, termName } from "@tinyrnn/tinyrnn";
 *
 * const terms = buildLibrary(2, 2, ["tanh"]);
 * console.log(terms.map((t) => termName(t, ["h0", "h1"]))); // h0, h1, h0^2, h0*h1, h1^2, tanh(h0), tanh(h1), 1
 * ```
 */
export function buildLibrary(
  variables: number,
  order: number,
  functions: readonly LibraryFunction[] = [],
): EquationTerm[] {
  if (!Number.isInteger(variables) || variables < 1) {
    throw new TinyRnnInputError(`buildLibrary: variables must be a positive integer, got ${variables}`);
  }
  if (!Number.isInteger(order) || order < 0) {
    throw new TinyRnnInputError(`buildLibrary: order must be a non-negative integer, got ${order}`);
  }
  const terms: EquationTerm[] = [];
  for (let degree = 1; degree <= order; degree++) {
    for (const powers of monomialsOfDegree(variables, degree)) terms.push({ kind: "monomial", powers });
  }
  for (const f of functions) {
    for (let k = 0; k < variables; k++) terms.push({ kind: f, variable: k });
  }
  terms.push({ kind: "constant" });
  return terms;
}

/** The logistic function, written so that large |x| neither overflows nor loses the small tail. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * The value of a term at a point (one entry per variable).
 *
 * @example
 * ```ts
 * import { evaluateTerm } from "@tinyrnn/tinyrnn";
 *
 * console.log(evaluateTerm({ kind: "monomial", powers: [1, 2] }, [2, 3])); // 2 · 3² = 18
 * ```
 */
export function evaluateTerm(term: EquationTerm, x: ArrayLike<number>): number {
  switch (term.kind) {
    case "constant":
      return 1;
    case "monomial": {
      let value = 1;
      for (let k = 0; k < term.powers.length; k++) {
        for (let p = 0; p < term.powers[k]; p++) value *= x[k];
      }
      return value;
    }
    case "sigmoid":
      return sigmoid(x[term.variable]);
    case "tanh":
      return Math.tanh(x[term.variable]);
  }
}

/**
 * Plain-text name of a term: `1`, `L`, `L^2`, `h0*h1`, `sigmoid(L)`, `tanh(h1)`.
 *
 * @example
 * ```ts
 * import { termName } from "@tinyrnn/tinyrnn";
 *
 * console.log(termName({ kind: "tanh", variable: 1 }, ["h0", "h1"])); // tanh(h1)
 * ```
 */
export function termName(term: EquationTerm, variables: readonly string[]): string {
  switch (term.kind) {
    case "constant":
      return "1";
    case "monomial":
      return term.powers.flatMap((p, k) => p === 0 ? [] : [p === 1 ? variables[k] : `${variables[k]}^${p}`])
        .join("*");
    case "sigmoid":
    case "tanh":
      return `${term.kind}(${variables[term.variable]})`;
  }
}

/**
 * A variable name as LaTeX: `L` stays, `h0` becomes `h_{0}`, `Q_s[0]` becomes `Q_{s}[0]`; anything else is
 * set upright with LaTeX's special characters escaped.
 */
export function latexVariable(name: string): string {
  if (/^[A-Za-z]$/.test(name)) return name;
  const indexed = /^([A-Za-z]+)(\d+)$/.exec(name);
  if (indexed) return `${indexed[1]}_{${indexed[2]}}`;
  const subscripted = /^([A-Za-z]+)_([A-Za-z0-9]+)(\[\d+\])?$/.exec(name);
  if (subscripted) return `${subscripted[1]}_{${subscripted[2]}}${subscripted[3] ?? ""}`;
  return `\\mathrm{${name.replace(/([_#%&{}$])/g, "\\$1")}}`;
}

/** LaTeX of a term (without its coefficient); the constant is the empty string. */
export function termLatex(term: EquationTerm, variables: readonly string[]): string {
  switch (term.kind) {
    case "constant":
      return "";
    case "monomial":
      return term.powers.flatMap((p, k) => {
        if (p === 0) return [];
        const v = latexVariable(variables[k]);
        return [p === 1 ? v : `${v}^{${p}}`];
      }).join(" ");
    case "sigmoid":
      return `\\sigma(${latexVariable(variables[term.variable])})`;
    case "tanh":
      return `\\tanh(${latexVariable(variables[term.variable])})`;
  }
}

/** Whether a term is the variable `k` itself (degree-1 monomial in `x_k`): the identity part of a map. */
export function isVariable(term: EquationTerm, k: number): boolean {
  return term.kind === "monomial" && term.powers.every((p, j) => p === (j === k ? 1 : 0));
}
