/**
 * The verification GET (the legacy SDKs: identical to Studio's, the OneNET HTTP push document §2): the receiver proves it holds
 * the token by echoing msg.
 */
import { verificationCases } from '../onenet-common/verification.ts';
import { family } from './fixtures.ts';

verificationCases(family);
