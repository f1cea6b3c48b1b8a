/**
 * The state-dict type, on its own so that cell files (which convert weights, e.g. `sgruFromGru`) and the
 * network module can both use it without importing each other.
 *
 * @module
 */

/** A state dict: PyTorch tensor names mapped to nested arrays (or a bare number for scalars). */
export type StateDict = Record<string, unknown>;
