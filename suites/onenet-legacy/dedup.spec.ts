/** Redelivery (the legacy SDKs: no 200, “否则会重发”): the platform pushes the same body again. */
import { dedupCases } from '../onenet-common/dedup.ts';
import { family } from './fixtures.ts';

dedupCases(family, { same: 'same body', redelivered: 'a redelivered push' });
