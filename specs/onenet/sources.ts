/**
 * The public documents and code the OneNET Studio requirements rest on, listed once; requirements refer to them.
 */
import type { CodeReference, SourceDocument } from '../../src/core/case.ts';

/** OneNET's HTTP push document (数据推送 → HTTP推送), in Chinese; its §5 holds the official Java samples. */
export const HTTP_PUSH: SourceDocument = {
  title: 'OneNET 数据推送 · HTTP推送',
  publisher: 'China Mobile OneNET',
  url: 'https://open.iot.10086.cn/doc/iot_platform/book/application-develop/push/http_push.html',
  language: 'zh',
};

/** The rule engine's data formats (规则引擎数据格式): the shapes of msg, one per message type. */
export const RULE_DATA: SourceDocument = {
  title: 'OneNET 规则引擎 · 数据格式 (rule_data)',
  publisher: 'China Mobile OneNET (public copy of the documentation in warrlon/warrlon)',
  url: 'https://github.com/warrlon/warrlon/blob/3608b26238b289fb7f16f31a3fc9628be80cdc2b/iotgz-docs/subbook/iot_platform/book/application-develop/push/rule_engine/rule_data.md',
  language: 'zh',
};

/** OneNET's own receiver SDK (legacy platform), whose signature check Studio's verification shares. */
export const CHECK_TOKEN: CodeReference = {
  repository: 'cm-heclouds/data-push',
  file: 'JAVA/src/main/java/com/onenet/datapush/receiver/Util.java',
  commit: '663b5dc0b0f71550b3ce59deafae172b94270197',
};
