/** The answer of an OAuth endpoint: HTTP status and parsed JSON body. */
export interface JsonAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** POSTs an `application/x-www-form-urlencoded` body (RFC 6749 endpoints) and reads the JSON answer. */
export async function postForm(url: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<JsonAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
