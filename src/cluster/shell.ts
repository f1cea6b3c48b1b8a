/**
 * Quoting for POSIX shell scripts that the cluster writers generate.
 *
 * @module
 */

/** Characters that never need quoting in a shell word. */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quote one word for a POSIX shell so that it reaches the command unchanged (no expansion, no splitting).
 *
 * @example
 * ```ts
 * shellQuote("it's"); // 'it'\''s'
 * ```
 */
export function shellQuote(word: string): string {
  if (word !== "" && SAFE_WORD.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Quote every word and join them with spaces: a command line that a shell splits back into `words`. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(" ");
}
