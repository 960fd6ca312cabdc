/**
 * The public documents and code the eKuiper requirements rest on, listed once; requirements refer to them.
 */
import type { CodeReference, SourceDocument } from '../../src/core/case.ts';

/** LF Edge eKuiper's HTTP Push source documentation (docs/en_US/guide/sources/builtin/http_push.md). */
export const HTTP_PUSH: SourceDocument = {
  title: 'eKuiper · HTTP Push Source Connector',
  publisher: 'LF Edge eKuiper',
  url: 'https://ekuiper.org/docs/en/latest/guide/sources/builtin/http_push.html',
  language: 'en',
};

const V2 = '0014e7fab0dd420d79d4e8a9e00486ac688589ec';
/** eKuiper 2.x's HTTP handler: reads the body, answers 200 ok, no JSON check, routes with gorilla/mux. */
export const V2_SERVER: CodeReference = {
  repository: 'lf-edge/ekuiper',
  file: 'internal/io/http/httpserver/data_server.go',
  commit: V2,
};
/** eKuiper 2.x's httppush source: method POST or PUT, BufferLength 1024. */
export const V2_SOURCE: CodeReference = {
  repository: 'lf-edge/ekuiper',
  file: 'internal/io/http/httppush_source.go',
  commit: V2,
};
/** eKuiper 1.14.7's HTTP handler (tag v1.14.7): decodes the body into a JSON object, else 400. */
export const V1_SERVER: CodeReference = {
  repository: 'lf-edge/ekuiper',
  file: 'internal/io/http/httpserver/data_server.go',
  commit: 'df82939f0b42b49633c605c2b918f25fe4ae03da',
};
