/**
 * Credentials wired to the simulators and the trigger workflow, as the e2e tests, the benchmarks and
 * `npm run demo` import them into n8n: one copy of each shape.
 */
import type { CredentialFixture } from './n8n';
import { PACKAGE, workflowId } from './workflow';
import type { WorkflowJson, WorkflowNode } from './workflow';

export function shopifyCredential(id: string, name: string, sim: { url: string; accessToken: string }): CredentialFixture {
	return { id, name, type: 'commerceSyncShopifyApi', data: { store: sim.url, accessToken: sim.accessToken, apiVersion: '2026-10' } };
}

/** A Shopify store as the channel of a two-store node whose main store is Shopify too (the second credential type). */
export function shopifyChannelStoreCredential(id: string, name: string, sim: { url: string; accessToken: string }): CredentialFixture {
	return { ...shopifyCredential(id, name, sim), type: 'commerceSyncShopifyOtherStoreApi' };
}

export function wooCredential(
	id: string,
	name: string,
	sim: { siteUrl: string; consumerKey: string; consumerSecret: string },
	options: { keysIn?: 'basic' | 'query'; consumerSecret?: string } = {},
): CredentialFixture {
	return {
		id, name, type: 'commerceSyncWooCommerceApi',
		data: { siteUrl: sim.siteUrl, consumerKey: sim.consumerKey, consumerSecret: options.consumerSecret ?? sim.consumerSecret, keysIn: options.keysIn ?? 'basic' },
	};
}

/** SMTP without TLS or login, for the local mail catcher (test/support/smtpSink.ts). */
export function smtpCredential(id: string, name: string, port: number): CredentialFixture {
	return { id, name, type: 'smtp', data: { user: '', password: '', host: '127.0.0.1', port, secure: false, disableStartTls: true } };
}

/** The credentials the template workflows name (by id), wired to the simulators and the mail catcher. */
export function templateCredentials(shopify: { url: string; accessToken: string }, woo: { siteUrl: string; consumerKey: string; consumerSecret: string }, smtpPort: number): CredentialFixture[] {
	return [
		shopifyCredential('cs-shopify-store', 'Shopify store', shopify),
		wooCredential('cs-woocommerce-store', 'WooCommerce store', woo),
		smtpCredential('cs-smtp', 'SMTP account', smtpPort),
	];
}

/**
 * Makes the Shopify simulator's catalogue carry the WooCommerce simulator's order SKUs, all but the last
 * `leaveOut`, so orders pushed from the WooCommerce channel link (and a few stay unlinked), as in a shop
 * whose main store lists what its channels sell. Variants may oversell (CONTINUE) so stock never blocks.
 */
export function shareChannelSkus(
	woo: { store: { orders: Array<{ line_items: Array<{ sku?: string | null }> }> } },
	shopify: { store: { variants: Array<{ sku: string | null; inventoryPolicy: 'DENY' | 'CONTINUE' }> } },
	leaveOut = 2,
): void {
	const skus = [...new Set(woo.store.orders.flatMap((o) => o.line_items.map((l) => l.sku)).filter((sku): sku is string => !!sku))].sort();
	skus.slice(0, Math.max(0, skus.length - leaveOut)).forEach((sku, i) => {
		const variant = shopify.store.variants[i];
		if (!variant) return;
		variant.sku = sku;
		variant.inventoryPolicy = 'CONTINUE';
	});
}

/** How a node refers to a credential: `{ <type>: { id, name } }`. */
export function credentialRef(credential: CredentialFixture): NonNullable<WorkflowNode['credentials']> {
	return { [credential.type]: { id: credential.id, name: credential.name } };
}

/** A workflow holding only a Channel Orders Trigger polling every minute (n8n's fastest). */
export function channelTriggerWorkflow(
	name: string,
	channel: string,
	credential: CredentialFixture,
	parameters: { emitChanges?: boolean; startFrom?: 'now' | 'date'; startDate?: string; options?: Record<string, unknown> } = {},
	nodeName = 'Orders',
): WorkflowJson {
	const { emitChanges = false, startFrom = 'date', startDate = '2000-01-01T00:00:00Z', options = {} } = parameters;
	return {
		id: workflowId(name),
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {},
		nodes: [
			{
				id: 'trigger', name: nodeName, type: `${PACKAGE}.channelOrdersTrigger`, typeVersion: 1, position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, channel, emitChanges, startFrom, ...(startFrom === 'date' ? { startDate } : {}), options },
				credentials: credentialRef(credential),
			},
		],
	};
}
