/** Pushes that fail the signature check (the OneNET HTTP push document §3: signature 用以校验推送客户端身份合法性). */
import { signatureCases } from '../onenet-common/signature.ts';
import { family } from './fixtures.ts';

signatureCases(family);
