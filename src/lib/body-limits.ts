/** Request body limits, the same for every route that reads a body (docs/decisions/0016-bounded-request-bodies.md). */

/** JSON bodies: the API, and ActivityPub activities posted to our inboxes. */
export const MAX_JSON_BODY_BYTES = 256 * 1024;
/** HTML forms are small: a signup form's fields fit well within this. */
export const MAX_FORM_BODY_BYTES = 64 * 1024;
