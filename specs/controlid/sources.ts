/**
 * The public documents and code the Control iD requirements rest on, listed once; requirements refer to them.
 */
import type { CodeReference, SourceDocument } from '../../src/core/case.ts';

/** Control iD Access API, Push mode (English; a Portuguese edition is at /docs/access-api-pt/modo-push/). */
export const PUSH_MODE: SourceDocument = {
  title: 'Access API · Push mode: Introduction to Push',
  publisher: 'Control iD',
  url: 'https://www.controlid.com.br/docs/access-api-en/push-mode/introduction-to-push',
  language: 'en',
};

/**
 * A community push server for Control iD devices in production use: what it answers when idle (`{}`), how it
 * sends a command's body (an object), and how it correlates a result with its command (`uuid`).
 */
export const COMMUNITY_SERVER: CodeReference = {
  repository: 'starseg/star-condomine',
  file: 'api/src/controllers/controliD.ts',
  commit: '620a5df2be3b10988508e14fc4c7b14536ade919',
};
