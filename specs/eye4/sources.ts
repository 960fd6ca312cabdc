/**
 * The document the Eye4 requirements rest on. No public URL for it was found: it is cited by title, publisher and
 * the date the document gives as its last update.
 */
import type { SourceDocument } from '../../src/core/case.ts';

export const ALARM_ACCESS: SourceDocument = {
  title: 'Equipment Alarm Receiving and Access Process',
  publisher: 'Eye4 / VStarcam open platform',
  date: '2023-10-23',
  language: 'en',
};
