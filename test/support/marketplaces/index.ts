/** Every marketplace the end-to-end marketplace test runs, one adapter file each. */
import type { Marketplace } from './types';
import type { Simulator } from '../../simulators/common/server';
import { ebay } from './ebay';
import { etsy } from './etsy';

export type { Marketplace } from './types';

export const MARKETPLACES: Array<Marketplace<Simulator>> = [ebay, etsy] as unknown as Array<Marketplace<Simulator>>;
