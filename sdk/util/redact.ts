// Keeping secrets out of messages built from server responses.

/** Replaces every occurrence of each secret (3 characters or longer) with `[secret]`. */
export function redact(message: string, secrets: Array<string | undefined>): string {
  let out = message;
  for (const s of secrets) if (s && s.length >= 3) out = out.split(s).join("[secret]");
  return out;
}
