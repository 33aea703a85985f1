// What a fake fetch was asked: `fetch` takes a string, a URL or a Request, and a body of many
// kinds; the fakes in the tests only ever need the URL and a text body.

/** The URL a fetch was asked for, whichever form `input` took. */
export function urlOf(input: RequestInfo | URL): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

/** The body a fetch was given, as text ('' when there is none). */
export function bodyText(init: RequestInit | undefined): string {
  const body = init?.body;
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  throw new TypeError(`bodyText reads string and URLSearchParams bodies, not a ${Object.prototype.toString.call(body)}`);
}
