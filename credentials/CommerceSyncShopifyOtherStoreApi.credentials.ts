import { CommerceSyncShopifyApi } from './CommerceSyncShopifyApi.credentials';

/**
 * The same Shopify Admin API credential, as a second type: a node that reads one Shopify store and writes
 * another (Sync Tracking, Sync Inventory Both Ways, store to store) needs two credentials, and n8n gives
 * a node one credential of each type. This one is the channel store's; the main store keeps the first.
 */
export class CommerceSyncShopifyOtherStoreApi extends CommerceSyncShopifyApi {
	name = 'commerceSyncShopifyOtherStoreApi';

	displayName = 'Commerce Sync Shopify Admin API (Channel Store)';
}
