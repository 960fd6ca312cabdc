/** The profiles pushcheck knows, by name: each plugs in through the `Profile` interface (src/core/profile.ts). */
import type { Profile } from './core/profile.ts';
import { ekuiperProfile } from './protocols/ekuiper/profile.ts';
import { onenetProfile } from './protocols/onenet/profile.ts';
import { onenetLegacyProfile } from './protocols/onenet-legacy/profile.ts';

export const PROFILES: Readonly<Record<string, Profile<unknown>>> = {
  onenet: onenetProfile,
  'onenet-legacy': onenetLegacyProfile,
  ekuiper: ekuiperProfile,
};

/** The names of the profiles, for messages. */
export const PROFILE_NAMES = Object.keys(PROFILES).join(', ');
