/** Pushes that fail the signature check (the legacy SDKs): forged with another token, or altered after signing. */
import { signatureCases } from '../onenet-common/signature.ts';
import { family } from './fixtures.ts';

signatureCases(family);
