/**
 * Readable forms of discovered update rules: plain text, LaTeX and an HTML table for notebooks.
 *
 * @module
 */

import { type EquationTerm, latexVariable, termLatex, termName } from "./library.ts";

/** A coefficient with `digits` significant digits and no trailing zeros (`0.7`, `-1.25`, `3e-7`). */
export function formatCoefficient(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  const text = String(Number(value.toPrecision(digits)));
  return text === "-0" ? "0" : text;
}

/** The same number as LaTeX: exponents become `\times 10^{k}`. */
function latexNumber(value: number, digits: number): string {
  const text = formatCoefficient(value, digits);
  const match = /^(-?[\d.]+)e([+-]\d+)$/.exec(text);
  if (!match) return text;
  return `${match[1]} \\times 10^{${Number(match[2])}}`;
}

/** Right-hand side `0.7 L + 1` of a rule (`0` when it has no terms). */
export function formatRightHandSide(
  terms: readonly EquationTerm[],
  coefficients: ArrayLike<number>,
  variables: readonly string[],
  digits = 4,
): string {
  const parts: string[] = [];
  terms.forEach((term, j) => {
    const c = coefficients[j];
    const magnitude = formatCoefficient(Math.abs(c), digits);
    const name = termName(term, variables);
    const body = term.kind === "constant" ? magnitude : magnitude === "1" ? name : `${magnitude} ${name}`;
    if (parts.length === 0) parts.push(c < 0 ? `-${body}` : body);
    else parts.push(c < 0 ? `- ${body}` : `+ ${body}`);
  });
  return parts.length === 0 ? "0" : parts.join(" ");
}

/** LaTeX right-hand side `0.7\,L + 1` of a rule. */
export function latexRightHandSide(
  terms: readonly EquationTerm[],
  coefficients: ArrayLike<number>,
  variables: readonly string[],
  digits = 4,
): string {
  const parts: string[] = [];
  terms.forEach((term, j) => {
    const c = coefficients[j];
    const magnitude = latexNumber(Math.abs(c), digits);
    const name = termLatex(term, variables);
    const body = term.kind === "constant" ? magnitude : magnitude === "1" ? name : `${magnitude}\\,${name}`;
    if (parts.length === 0) parts.push(c < 0 ? `-${body}` : body);
    else parts.push(c < 0 ? `- ${body}` : `+ ${body}`);
  });
  return parts.length === 0 ? "0" : parts.join(" ");
}

/** Text of one rule: `L' = 0.7 L + 1`. */
export function formatRule(
  output: string,
  terms: readonly EquationTerm[],
  coefficients: ArrayLike<number>,
  variables: readonly string[],
  digits = 4,
): string {
  return `${output}' = ${formatRightHandSide(terms, coefficients, variables, digits)}`;
}

/** LaTeX of one rule, with `&=` for alignment when `aligned`: `L' &= 0.7\,L + 1`. */
export function latexRule(
  output: string,
  terms: readonly EquationTerm[],
  coefficients: ArrayLike<number>,
  variables: readonly string[],
  digits = 4,
  aligned = false,
): string {
  return `${latexVariable(output)}' ${aligned ? "&=" : "="} ${
    latexRightHandSide(terms, coefficients, variables, digits)
  }`;
}

/** A trial-type label as LaTeX text (`\text{A1 R=1}`). */
export function latexLabel(label: string): string {
  return `\\text{${label.replace(/([_#%&{}$\\])/g, "\\$1")}}`;
}

/** Escape text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
