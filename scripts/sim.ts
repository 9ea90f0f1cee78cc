/**
 * `npm run sim`: starts the Shopify and WooCommerce simulators with seeded demo stores on fixed local
 * ports and prints what to type into n8n's credentials, so every node can be tried without live stores.
 * Ctrl-C stops them. Options: --orders=N --products=N --shopify-port=N --woo-port=N --seed=N.
 */
import { startShopifySimulator } from '../test/simulators/shopify';
import { startWooSimulator } from '../test/simulators/woocommerce';

function option(name: string, fallback: number): number {
	const found = process.argv.find((a) => a.startsWith(`--${name}=`));
	const value = found ? Number(found.split('=')[1]) : fallback;
	return Number.isFinite(value) ? value : fallback;
}

async function main(): Promise<void> {
	const orders = option('orders', 200);
	const products = option('products', 40);
	const seed = option('seed', 1);
	const shopify = await startShopifySimulator({ port: option('shopify-port', 8081), orders, products, seed });
	const woo = await startWooSimulator({ port: option('woo-port', 8082), orders, products, seed: seed + 1 });
	const lines = [
		'Simulators running (Ctrl-C stops them). In n8n, create these credentials:',
		'',
		`  Commerce Sync Shopify Admin API    Store: ${shopify.url}`,
		`                                     Admin API Access Token: ${shopify.accessToken}`,
		`  Commerce Sync WooCommerce REST API Site URL: ${woo.siteUrl}`,
		`                                     Consumer Key: ${woo.consumerKey}`,
		`                                     Consumer Secret: ${woo.consumerSecret}`,
		'',
		`  Shopify: ${shopify.store.orders.length} orders, ${shopify.store.variants.length} variants; WooCommerce: ${woo.store.orders.length} orders, ${woo.store.products.length} products.`,
		`  Inspect: ${shopify.url}/__sim/state  ${shopify.url}/__sim/log  ${woo.url}/__sim/state  ${woo.url}/__sim/log`,
		'  (These are the simulators\' own demo keys, not secrets of any real store.)',
	];
	process.stdout.write(`${lines.join('\n')}\n`);
	const stop = async () => {
		await Promise.all([shopify.close(), woo.close()]);
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
