// Pulse's body reader: fetches one document off the page's main thread
// (src/api/client/in_worker.rs: a large document read as it arrives),
// giving up after the page's time limit (the body then ends in an error),
// and hands the response over: `{ status, statusText, headers, body }`, the
// headers the page reads (its size, whether it is compressed) and the
// body as a stream, transferred. A failed request posts its message (a
// string); `null` says the stream cannot be handed over here (the page
// then fetches the document itself).
onmessage = async ({ data: [url, seconds] }) => {
  let response;
  try {
    response = await fetch(url, { credentials: "same-origin", signal: AbortSignal.timeout(seconds * 1000) });
  } catch (e) {
    postMessage(String(e && e.message ? e.message : e));
    return;
  }
  const headers = {};
  for (const name of ["content-length", "content-encoding"]) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  const body = response.ok ? response.body : null;
  try {
    postMessage({ status: response.status, statusText: response.statusText, headers, body }, body ? [body] : []);
  } catch {
    if (body) body.cancel();
    postMessage(null);
  }
};
