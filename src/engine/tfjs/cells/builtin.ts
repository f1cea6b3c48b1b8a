/**
 * Registers the tfjs version of every built-in cell (importing this module is enough).
 *
 * @module
 */

import { registerTfjsCell } from "../cell.ts";
import { gruTfjs } from "./gru.ts";
import { lstmTfjs } from "./lstm.ts";
import { minGruTfjs } from "./mingru.ts";
import { minLstmTfjs } from "./minlstm.ts";
import { rnnTfjs } from "./rnn.ts";
import { sgruTfjs } from "./sgru.ts";

for (const cell of [gruTfjs, sgruTfjs, lstmTfjs, rnnTfjs, minGruTfjs, minLstmTfjs]) registerTfjsCell(cell);
