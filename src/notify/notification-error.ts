/**
 * A notification that could not be rendered, written or sent. Its message names what was wrong, where (the
 * directory, the SMTP server's host:port, the server's answer) and what to do; it never carries the SMTP
 * password or the bearer token, and never the underlying error object, whose text is not ours to vouch for.
 */
import { ProvsimError } from '../shared/errors.js';

export class NotificationError extends ProvsimError {
  constructor(
    message: string,
    /** Node's or the SMTP client's error code (`ENOTDIR`, `ETIMEDOUT`, `EAUTH`, …), when there was one. */
    readonly code: string | null = null,
  ) {
    super(message);
  }
}
