export const en = {
  "site.title": "CHATONS directory",
  "site.tagline": "Find, compare and join an ethical hosting provider",
  "docs.title": "API reference",
  "docs.intro": "Every endpoint of the public API. The machine-readable document is at",
  "docs.auth": "Requires a bearer token",
  "docs.parameters": "Parameters",
  "docs.body": "Request body",
  "docs.responses": "Responses",
  "docs.schemas": "Schemas",
  "docs.errors": "Errors are RFC 9457 problem+json documents with a stable type URI.",
  "lang.switch": "Français",
} as const;
export type MessageKey = keyof typeof en;
