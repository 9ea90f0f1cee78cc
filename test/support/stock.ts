/**
 * Stock as the inventory tests set and read it in the simulators' own state: a Shopify variant's
 * inventory level at a location (the store's first unless named), a WooCommerce product by SKU.
 */
import type { ShopifySimulator } from '../simulators/shopify';
import type { WooSimulator } from '../simulators/woocommerce';

export function shopifyVariant(sim: ShopifySimulator, sku: string) {
	const variant = sim.store.variants.find((v) => v.sku === sku);
	if (!variant) throw new Error(`no Shopify variant with SKU ${sku}`);
	return variant;
}

/** The variant's inventory level at `locationName`, or at the store's first location. */
export function shopifyLevel(sim: ShopifySimulator, sku: string, locationName?: string) {
	const location = locationName === undefined ? sim.store.locations[0] : sim.store.locations.find((l) => l.name === locationName);
	const variant = shopifyVariant(sim, sku);
	const level = sim.store.inventoryLevels.find((l) => l.inventoryItemId === variant.inventoryItemId && l.locationId === location?.id);
	if (!level) throw new Error(`no inventory level for SKU ${sku} at ${locationName ?? 'the first location'}`);
	return level;
}

/** Sets what a count would: `available` on hand, nothing committed, the level changed now. */
export function setShopifyStock(sim: ShopifySimulator, sku: string, available: number) {
	return Object.assign(shopifyLevel(sim, sku), { available, committed: 0, onHand: available, updatedAt: new Date().toISOString() });
}

/** Gives the first variants these SKUs, their inventory items too (as Shopify keeps the SKU on both). */
export function giveShopifySkus(sim: ShopifySimulator, skus: readonly string[], variants = sim.store.variants): void {
	skus.forEach((sku, i) => {
		if (variants[i]) variants[i].sku = sku;
	});
	const skuOfItem = new Map(sim.store.variants.map((v) => [v.inventoryItemId, v.sku]));
	for (const item of sim.store.inventoryItems) item.sku = skuOfItem.get(item.id) ?? item.sku;
}

export function wooProductBySku(sim: WooSimulator, sku: string) {
	const product = sim.store.products.find((p) => p.sku === sku);
	if (!product) throw new Error(`no WooCommerce product with SKU ${sku}`);
	return product;
}

/** A managed stock of `quantity`, its status following it. */
export function setWooStock(sim: WooSimulator, sku: string, quantity: number): void {
	Object.assign(wooProductBySku(sim, sku), { manage_stock: true, stock_quantity: quantity, stock_status: quantity > 0 ? 'instock' : 'outofstock' });
	sim.store.changed();
}
