/** Every marketplace the end-to-end marketplace test runs, one adapter file each. */
import type { Marketplace } from './types';
import type { Simulator } from '../../simulators/common/server';
import { ebay } from './ebay';
import { etsy } from './etsy';
import { amazon } from './amazon';
import { tiktok } from './tiktok';

export type { Marketplace } from './types';

export const MARKETPLACES: Array<Marketplace<Simulator>> = [ebay, etsy, amazon, tiktok] as unknown as Array<Marketplace<Simulator>>;
