/**
 * The public documents and code the legacy OneNET requirements rest on, listed once; requirements refer to them.
 * The legacy platform's manual is no longer on OneNET's site: a public copy of it is cited at a fixed commit.
 */
import type { CodeReference, SourceDocument } from '../../src/core/case.ts';

/** OneNET's official receiver SDKs and demos (Java, PHP, Node.js, C#) for the legacy data push. */
export const DATA_PUSH: SourceDocument = {
  title: 'data-push: OneNET 数据推送 SDK and demos',
  publisher: 'China Mobile OneNET (cm-heclouds)',
  url: 'https://github.com/cm-heclouds/data-push',
  language: 'zh',
};

/** The legacy HTTP push developer guide (开发指南), in Chinese. */
export const DEVELOP_MANUAL: SourceDocument = {
  title: 'OneNET HTTP推送 · 开发指南',
  publisher: 'China Mobile OneNET (public copy of the documentation in warrlon/warrlon)',
  url: 'https://github.com/warrlon/warrlon/blob/3608b26238b289fb7f16f31a3fc9628be80cdc2b/iotgz-docs/book/application-develop/httppush/develop-manual.md',
  language: 'zh',
};

/** The legacy HTTP push FAQ (数据推送常见问题), in Chinese. */
export const FAQ: SourceDocument = {
  title: 'OneNET 数据推送常见问题',
  publisher: 'China Mobile OneNET (public copy of the documentation in warrlon/warrlon)',
  url: 'https://github.com/warrlon/warrlon/blob/3608b26238b289fb7f16f31a3fc9628be80cdc2b/iotgz-docs/subbook/multiprotocol/book/manual/httppush/FAQ.md',
  language: 'zh',
};

const COMMIT = '663b5dc0b0f71550b3ce59deafae172b94270197';
/** Java SDK: checkToken (verification), checkSignature and decryptMsg (pushes). */
export const JAVA_UTIL: CodeReference = {
  repository: 'cm-heclouds/data-push',
  file: 'JAVA/src/main/java/com/onenet/datapush/receiver/Util.java',
  commit: COMMIT,
};
/** PHP SDK: _checkSignature and _handleRuleMsg. */
export const PHP_UTIL: CodeReference = {
  repository: 'cm-heclouds/data-push',
  file: 'PHP/util.php',
  commit: COMMIT,
};
/** Node.js demo: echoes msg, answers pushes, checks nothing. */
export const NODE_DEMO: CodeReference = {
  repository: 'cm-heclouds/data-push',
  file: 'nodejs_sdk/data_push_demo.js',
  commit: COMMIT,
};
