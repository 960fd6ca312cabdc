/** The profiles pushcheck knows, by name: each plugs in through the `Profile` interface (src/core/profile.ts). */
import type { Profile } from './core/profile.ts';
import { alertpushProfile } from './protocols/alertpush/profile.ts';
import { controlidProfile } from './protocols/controlid/profile.ts';
import { ekuiperProfile } from './protocols/ekuiper/profile.ts';
import { eye4Profile } from './protocols/eye4/profile.ts';
import { onenetProfile } from './protocols/onenet/profile.ts';
import { onenetLegacyProfile } from './protocols/onenet-legacy/profile.ts';

export const PROFILES: Readonly<Record<string, Profile<unknown>>> = {
  onenet: onenetProfile,
  'onenet-legacy': onenetLegacyProfile,
  ekuiper: ekuiperProfile,
  controlid: controlidProfile,
  eye4: eye4Profile,
  alertpush: alertpushProfile,
};

/** The names of the profiles, for messages. */
export const PROFILE_NAMES = Object.keys(PROFILES).join(', ');
