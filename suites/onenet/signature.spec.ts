/** Pushes that fail the signature check (onenet.sign.forged-not-processed, onenet.sign.tampered-not-processed). */
import { signatureCases } from '../onenet-common/signature.ts';
import { family } from './fixtures.ts';

signatureCases(family);
