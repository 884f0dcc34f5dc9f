import { newToolCallId } from "../lib/ids";
import type { ToolCall, ToolCallDelta } from "../providers";

/**
 * Puts a streamed reply's tool calls together from their pieces, and makes sure the first piece of
 * each call that goes out names it: `id` (made when the provider gave none) and `name`. Argument
 * fragments pass on as they come, never held back to the end.
 *
 * @example
 * const calls = new ToolCallAssembler();
 * send(format.toolCall(calls.add(event)));
 * const reply = { ...end, toolCalls: calls.calls() };
 */
export class ToolCallAssembler {
  readonly #calls: ToolCall[] = [];

  /** Adds a piece; answers it as it should go out (the first piece of a call carries its id and name). */
  add(delta: ToolCallDelta): ToolCallDelta {
    let call = this.#calls[delta.index];
    if (!call) {
      call = {
        id: delta.id ?? newToolCallId(),
        type: "function",
        function: { name: delta.name ?? "", arguments: "" },
      };
      this.#calls[delta.index] = call;
      call.function.arguments += delta.arguments;
      return { ...delta, id: call.id, name: call.function.name };
    }
    if (delta.name && !call.function.name) call.function.name = delta.name;
    call.function.arguments += delta.arguments;
    return { type: "tool_call", index: delta.index, arguments: delta.arguments };
  }

  /** The calls so far, in index order; undefined when there are none. */
  calls(): ToolCall[] | undefined {
    const calls = this.#calls.filter((call) => call !== undefined);
    return calls.length > 0 ? calls : undefined;
  }
}
