/**
 * The verification GET (FACTS.md §1b: identical to Studio's, onenet.seed.md §2): the receiver proves it holds
 * the token by echoing msg.
 */
import { verificationCases } from '../onenet-common/verification.ts';
import { family } from './fixtures.ts';

verificationCases(family);
