/** The profiles pushcheck knows: each one's requirement registry, by name. */

import { requirements as onenet } from '../specs/onenet/requirements.ts';
import type { Registry } from './core/case.ts';

export const PROFILES: Readonly<Record<string, { registry: Registry; summary: string }>> = {
  onenet: {
    registry: onenet,
    summary: 'OneNET Studio HTTP push (数据推送 → HTTP推送): the receiver is your application server',
  },
};
