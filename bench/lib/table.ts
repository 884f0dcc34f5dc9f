/** Prints rows as an aligned text table (numbers right-aligned), with an optional title above it. */
export function printTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  title?: string,
): void {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const align = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join("  ");
  if (title) console.log(`\n${title}`);
  console.log(align(headers));
  console.log(widths.map((width) => "-".repeat(width)).join("  "));
  for (const row of rows) console.log(align(row));
}

/** A number with a fixed count of decimals, or "–" when it is missing. */
export function fixed(value: number | undefined, decimals = 0): string {
  return value === undefined || Number.isNaN(value) ? "–" : value.toFixed(decimals);
}

/** A ratio such as "0.93×". */
export function ratio(value: number, reference: number): string {
  return reference > 0 && Number.isFinite(value) ? `${(value / reference).toFixed(2)}×` : "–";
}

/** A signed difference such as "+0.21". */
export function delta(value: number, reference: number, decimals = 2): string {
  if (!Number.isFinite(value) || !Number.isFinite(reference)) return "–";
  const difference = value - reference;
  return `${difference >= 0 ? "+" : ""}${difference.toFixed(decimals)}`;
}
