// hello: greets the caller by name and says which role their JWT carries.
// Wiring only: CORS → method → body → handler (logic in ./hello.ts).
import { preflight } from '../_shared/cors.ts';
import { errorResponse, jsonResponse, readJson } from '../_shared/http.ts';
import { greet, parseHelloRequest, roleFromAuthorization } from './hello.ts';

Deno.serve(async (req) => {
  const cors = preflight(req);
  if (cors) return cors;
  if (req.method !== 'POST') return errorResponse(405, 'method_not_allowed', 'Use POST');

  const body = await readJson(req);
  if (body === undefined) return errorResponse(400, 'invalid_json', 'The body must be JSON');
  const parsed = parseHelloRequest(body);
  if (!parsed.ok) return errorResponse(400, 'invalid_request', parsed.message);

  return jsonResponse(greet(parsed.value, roleFromAuthorization(req.headers.get('Authorization'))));
});
