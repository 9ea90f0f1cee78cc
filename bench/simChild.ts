/**
 * Runs a simulator in its own process for benchmarks, so the client under test and the "store" do not
 * share one CPU thread (a real store is on another machine). Prints one JSON line with its address and
 * demo keys, then serves until killed.
 */
import { startShopifySimulator } from '../test/simulators/shopify';
import { startWooSimulator } from '../test/simulators/woocommerce';

async function main(): Promise<void> {
	const [kind, json] = process.argv.slice(2);
	const options = JSON.parse(json ?? '{}') as Record<string, unknown>;
	if (kind === 'woocommerce') {
		const sim = await startWooSimulator(options);
		process.stdout.write(`${JSON.stringify({ url: sim.url, siteUrl: sim.siteUrl, consumerKey: sim.consumerKey, consumerSecret: sim.consumerSecret, orders: sim.store.orders.length })}\n`);
	} else {
		const sim = await startShopifySimulator(options);
		process.stdout.write(`${JSON.stringify({ url: sim.url, accessToken: sim.accessToken, orders: sim.store.orders.length })}\n`);
	}
}

void main();
