/**
 * A fetch that counts the API requests passing through it (token requests apart): what the request figures of
 * the site-upsert and sync modules count.
 */
export function countingFetch() {
  const sent = { requests: 0 };
  const fetch = (input, init) => {
    if (new URL(input instanceof Request ? input.url : String(input)).pathname.startsWith("/api/rest/v4/"))
      sent.requests++;
    return globalThis.fetch(input, init);
  };
  return { fetch, sent };
}
