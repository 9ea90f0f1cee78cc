/** The Admin API version every Shopify request uses, credential test included: change it here only. */
export const SHOPIFY_API_VERSION = '2026-10';

/**
 * The Admin API base URL from what a user typed: `my-shop`, `my-shop.myshopify.com`, or a full URL (a
 * proxy or the simulator). The credential's test request spells the same rule as an n8n expression.
 */
export function shopifyAdminUrl(store: string, apiVersion: string = SHOPIFY_API_VERSION): string {
	const trimmed = store.trim().replace(/\/+$/, '');
	const origin = /^https?:\/\//i.test(trimmed)
		? trimmed
		: `https://${trimmed.includes('.') ? trimmed : `${trimmed}.myshopify.com`}`;
	return `${origin}/admin/api/${apiVersion}`;
}
