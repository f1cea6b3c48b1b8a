/**
 * Accept an Agent or anything that can produce one (a fitted model), so analyses need no special cases.
 *
 * @module
 */

import type { Agent } from "../agents/agent.ts";
import { TinyRnnInputError } from "../options.ts";

/** Something that yields an Agent: a fitted RNN or cognitive model (`FittedModel`). */
export interface HasAgent {
  /** The model as an Agent (fixed weights or parameters). */
  agent(): Agent;
}

/** An Agent, or an object with an `.agent()` method returning one. */
export type AgentLike = Agent | HasAgent;

/** The Agent behind `model`: the model itself when it follows the protocol, else `model.agent()`. */
export function resolveAgent(model: AgentLike, where = "tinyrnn"): Agent {
  const candidate = model as Partial<Agent> & Partial<HasAgent>;
  if (typeof candidate.step === "function" && typeof candidate.scores === "function") return model as Agent;
  if (typeof candidate.agent === "function") return resolveAgent(candidate.agent(), where);
  throw new TinyRnnInputError(
    `${where}: expected an Agent (initialState/scores/step) or a fitted model with an .agent() method`,
  );
}
