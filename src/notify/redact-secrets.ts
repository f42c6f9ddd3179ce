/**
 * Removes the caller's secrets (the bearer token, an SMTP password) from text bound for a notification or an
 * error, in the forms they travel in: as given, URL-encoded and base64-encoded. Pure. Empty strings are not
 * secrets (replacing them would mangle every character).
 */

export const SECRET_MASK = '[REDACTED]';

export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const form of secretForms(secrets)) out = out.split(form).join(SECRET_MASK);
  return out;
}

/** Each secret as given, URL-encoded and base64-encoded; longest first, so no form is cut by a shorter one. */
function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (!s) continue;
    forms.add(s);
    forms.add(encodeURIComponent(s));
    forms.add(Buffer.from(s, 'utf8').toString('base64'));
  }
  return [...forms].sort((a, b) => b.length - a.length);
}
