/** Shorter values are not treated as secrets: replacing them would mangle ordinary text. */
const MIN_SECRET_CHARS = 4;

/** The values worth redacting among `secrets`. */
export function redactable(secrets: ReadonlyArray<string | undefined>): string[] {
  return secrets.filter((secret): secret is string => !!secret && secret.length >= MIN_SECRET_CHARS);
}

/**
 * Replaces every secret in `text` with `[redacted]`.
 *
 * @example
 * redact(`Bearer ${key} refused`, [key]); // "Bearer [redacted] refused"
 */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (result.includes(secret)) result = result.replaceAll(secret, "[redacted]");
  return result;
}
