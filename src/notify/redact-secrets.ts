/**
 * Removes the caller's secrets (the bearer token, an SMTP password) from text bound for a notification or an
 * error, in every form they travel in: shared/redact-secret.ts, the one redactor of the project.
 */
export { SECRET_MASK, redactSecrets } from '../shared/redact-secret.js';
