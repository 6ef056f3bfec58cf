// Calls the proxy with the official OpenAI Node SDK until one call is over the client's limit:
// the SDK must wait as the 429 says (retry-after-ms / Retry-After) and then succeed.
// Usage: node retry.mjs <base url> <calls>. Prints one JSON line.
import OpenAI from 'openai';

const [baseURL, calls] = [process.argv[2], Number(process.argv[3])];
const refusals = [];
// The SDK's own fetch, watched: what the proxy's 429 told it to wait.
const watched = async (url, init) => {
  const response = await fetch(url, init);
  if (response.status === 429)
    refusals.push({ retryAfterMs: Number(response.headers.get('retry-after-ms')), retryAfter: response.headers.get('retry-after') });
  return response;
};
const client = new OpenAI({ baseURL, apiKey: 'pk-sdk-client-5d1e', maxRetries: 2, timeout: 20000, fetch: watched });
let lastMs = 0;
for (let i = 0; i < calls; i++) {
  const started = Date.now();
  await client.chat.completions.create({ model: 'sdk-model', messages: [{ role: 'user', content: 'hi' }] });
  lastMs = Date.now() - started;
}
console.log(JSON.stringify({ calls, lastMs, refusals }));
