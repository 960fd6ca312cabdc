/**
 * The public documents and code the alertpush requirements rest on: the edge box vendor's receiver demo (its
 * README "HTTP告警推送" and code), listed once; requirements refer to them.
 */
import type { CodeReference, SourceDocument } from '../../src/core/case.ts';

/** The vendor's README for HTTP alert push (http-server-demo/README.md), in Chinese. */
export const HTTP_ALERT_PUSH: SourceDocument = {
  title: 'KS-server-demo · HTTP告警推送 (http-server-demo/README.md)',
  publisher: 'AIDrive-Research',
  url: 'https://github.com/AIDrive-Research/KS-server-demo/blob/4248e31df5b5c7285907c1f413a7aa81422b4eb9/http-server-demo/README.md',
  language: 'zh',
};

/** RFC 6750, the OAuth 2.0 bearer token usage the demo's `authorization: Bearer …` header follows. */
export const RFC6750: SourceDocument = {
  title: 'RFC 6750: The OAuth 2.0 Authorization Framework: Bearer Token Usage',
  publisher: 'IETF',
  url: 'https://www.rfc-editor.org/rfc/rfc6750',
  language: 'en',
};

const COMMIT = '4248e31df5b5c7285907c1f413a7aa81422b4eb9';
const file = (path: string): CodeReference => ({
  repository: 'AIDrive-Research/KS-server-demo',
  file: path,
  commit: COMMIT,
});

/** The token script the box runs: timeout 5 s, headers refreshed every 600 s, the response text as the token. */
export const HEADERS_DEMO = file('http-server-demo/headers/headers_demo.py');
/** A fixed bearer token instead of a fetched one. */
export const FIXED_TOKEN_DEMO = file('http-server-demo/http-server-token/headers_demo2.py');
/** The Python receiver with a token endpoint: GET /token answers a plain-text token; POST /alert. */
export const TOKEN_SERVER = file('http-server-demo/http-server-token/python/app/alert.py');
/** The Python receiver: POST /alert, reads the raw body as JSON, decodes the Base64 image. */
export const ALERT_SERVER = file('http-server-demo/http-server/python/app/alert.py');
/** The Java receiver: POST /alert and POST /video. */
export const JAVA_CONTROLLER = file('http-server-demo/http-server/java/AlertController.java');
/** The alert's fields (id, alert_time, device, source, alg, hazard_level, image, reserved_data). */
export const ALERT_FIELDS = file('custom-api-demo/README.md');
