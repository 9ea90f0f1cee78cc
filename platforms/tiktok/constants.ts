/**
 * TikTok Shop addresses, versions and codes, in one place (the credential, the client and the tests read
 * them from here; no n8n import).
 */
import { PlatformError } from '../errors';

/** The credential's display name, as users see it in n8n: every hint names it. */
export const TIKTOK_CREDENTIAL_NAME = 'Commerce Sync TikTok Shop API';
export const TIKTOK_PLATFORM = 'TikTok Shop';
export const TIKTOK_PRODUCTION_URL = 'https://open-api.tiktokglobalshop.com';
/** Tokens are issued and renewed on their own host. */
export const TIKTOK_AUTH_URL = 'https://auth.tiktok-shops.com';
export const TIKTOK_REFRESH_PATH = '/api/v2/token/refresh';

export const ORDER_SEARCH_PATH = '/order/202309/orders/search';
/** Get Order Detail: the newest documented version (202507), which our doc record describes. */
export const ORDER_DETAIL_PATH = '/order/202507/orders';
export const INVENTORY_SEARCH_PATH = '/product/202309/inventory/search';
export const inventoryUpdatePath = (productId: string) => `/product/202309/products/${encodeURIComponent(productId)}/inventory/update`;
export const shipPackagePath = (packageId: string) => `/fulfillment/202309/packages/${encodeURIComponent(packageId)}/ship`;

/** Order search takes page_size 1–100; order detail takes at most 50 ids. */
export const TIKTOK_MAX_PAGE_SIZE = 100;
export const TIKTOK_MAX_DETAIL_IDS = 50;
/** Inventory search takes at most 100 product ids or 600 SKU ids. */
export const TIKTOK_MAX_PRODUCT_IDS = 100;
export const TIKTOK_MAX_SKU_IDS = 600;
/** Update Inventory takes quantities up to 99,999 per warehouse. */
export const TIKTOK_MAX_QUANTITY = 99_999;

/** TikTok's envelope codes the client acts on (common error codes of the Open API). */
export const TIKTOK_CODES = {
	ok: 0,
	invalidToken: 105001,
	expiredToken: 105002,
	invalidSign: 106001,
	invalidTimestamp: 106002,
	internalError: 36009003,
	throttled: 36009004,
	/** "Package has been shipped. Please not ship the package again." (and its siblings). */
	alreadyShipped: [11006021, 21008099, 21011040, 21011020],
} as const;

export type TikTokEnvironment = 'production' | 'custom';

/** The API root for the credential's environment: production, or a custom base URL (a proxy, the simulator). */
export function tiktokBaseUrl(environment: string | undefined, customBaseUrl?: string): string {
	if (environment !== 'custom') return TIKTOK_PRODUCTION_URL;
	const custom = (customBaseUrl ?? '').trim().replace(/\/+$/, '');
	if (!custom) {
		throw new PlatformError(TIKTOK_PLATFORM, 'the credential\'s environment is Custom but its Base URL is empty', undefined, 'commerce_sync_config', `Set Base URL in the "${TIKTOK_CREDENTIAL_NAME}" credential.`);
	}
	return custom;
}

/** Identifies the shop in cursors, push keys and on orders: the shop cipher names one shop. */
export function tiktokStoreId(shopCipher: string): string {
	const cipher = shopCipher.trim();
	if (!cipher) {
		throw new PlatformError(TIKTOK_PLATFORM, 'the credential has no Shop Cipher', undefined, 'commerce_sync_config', `Put the shop's cipher (from Get Authorized Shops) in the "${TIKTOK_CREDENTIAL_NAME}" credential.`);
	}
	return cipher;
}
