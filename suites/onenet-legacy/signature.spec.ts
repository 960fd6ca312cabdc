/** Pushes that fail the signature check (FACTS.md §1b): forged with another token, or altered after signing. */
import { signatureCases } from '../onenet-common/signature.ts';
import { family } from './fixtures.ts';

signatureCases(family);
