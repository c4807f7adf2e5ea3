/** Only http(s) URLs from providers ever become links; anything else is shown as text (or not at all). */
export function safeHttpUrl(url: string | undefined | null): string | undefined {
  return url && /^https?:\/\/[^\s]+$/i.test(url) ? url : undefined;
}
