/** Shared by the legacy OneNET tests. */

/** A 43-character EncodingAESKey with + and /, as the console generates them (32 random bytes, Base64, no =). */
export const ENCODING_AES_KEY = 'wEH0Tsks7WyaFhHntmI5ZPNfvza1bJOiKpHG+VR1z/c';
