/**
 * The package's version, as a constant so that it is known when the package is used from JSR (where
 * `deno.json` is not readable). A test checks that it equals `deno.json`'s `version`.
 *
 * @module
 */

/** The version of tinyrnn (`deno.json`'s `version`). */
export const TINYRNN_VERSION = "0.1.0";
