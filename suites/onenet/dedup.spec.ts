/** Redelivery (the OneNET HTTP push document §4): the platform pushes a message again, same id, when the ack failed. */
import { dedupCases } from '../onenet-common/dedup.ts';
import { family } from './fixtures.ts';

dedupCases(family, { same: 'same id', redelivered: 'a redelivered message id' });
