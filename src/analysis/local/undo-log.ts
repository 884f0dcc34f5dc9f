/**
 * Lets a running tally measure a provisional end of a text and then forget it: while recording,
 * each write into an existing array slot keeps the old value, and `undo` puts them all back.
 * (Scalars are restored from a copy; values appended past a kept count need no undoing.)
 */
export class UndoLog {
  readonly #arrays: Int32Array[] = [];
  readonly #slots: number[] = [];
  #recording = false;

  set(array: Int32Array, index: number, value: number): void {
    if (this.#recording) {
      this.#arrays.push(array);
      this.#slots.push(index, array[index] as number);
    }
    array[index] = value;
  }

  get recording(): boolean {
    return this.#recording;
  }

  record(): void {
    this.#recording = true;
  }

  /** Restores every value written since `record`, latest first, and stops recording. */
  undo(): void {
    for (let entry = this.#arrays.length - 1; entry >= 0; entry -= 1) {
      const array = this.#arrays[entry] as Int32Array;
      array[this.#slots[2 * entry] as number] = this.#slots[2 * entry + 1] as number;
    }
    this.#arrays.length = 0;
    this.#slots.length = 0;
    this.#recording = false;
  }
}

/** `array`, or a copy at least twice as long when it holds fewer than `length` values. */
export function withRoom(array: Int32Array<ArrayBuffer>, length: number): Int32Array<ArrayBuffer> {
  if (length <= array.length) return array;
  const grown = new Int32Array(Math.max(length, 2 * array.length));
  grown.set(array);
  return grown;
}

/** The same for values appended one at a time. */
export function withRoomFloat(array: Float64Array<ArrayBuffer>, length: number): Float64Array<ArrayBuffer> {
  if (length <= array.length) return array;
  const grown = new Float64Array(Math.max(length, 2 * array.length));
  grown.set(array);
  return grown;
}
