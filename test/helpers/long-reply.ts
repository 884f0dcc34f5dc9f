/* The known long reply the fake LLM streams in its `long` scenarios (importable inside workerd). */

const HARBOUR =
  "The quiet harbour town wakes slowly in winter, when the fishing boats stay tied to the pier and the " +
  "bakery on the corner opens an hour later than it does in summer. Most people walk rather than drive, " +
  "because the streets are narrow and steep, and a short walk gives them a reason to stop and talk. " +
  "Children count the gulls on the harbour wall while their parents argue kindly about the weather, the " +
  "price of bread and whether the new library will ever open. Nobody seems to be in a hurry, yet " +
  "everything gets done: nets are mended, letters are delivered, and the ferry leaves on time. ";

/** The reply of the `long` scenarios: 233 words of plain prose, long enough for several partial scores. */
export const LONG_REPLY = `${HARBOUR.repeat(2)}${HARBOUR.split(" ").slice(0, 17).join(" ")}.`;
