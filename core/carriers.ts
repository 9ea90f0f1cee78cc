/**
 * Carrier names between platforms. Shopify matches its tracking companies exactly (case-sensitive) to
 * build tracking URLs; the WooCommerce Shipment Tracking extension knows its own provider names (each
 * site lists them at /wc-shipment-tracking/v3/shipment-trackings/providers). A carrier named one way on
 * one side is written the other side's way; a user table wins over the built-in map; a carrier neither
 * knows goes through under its own name (Shopify: any company string, shown as "Other"; WooCommerce: a
 * custom provider) with its tracking URL kept, so the buyer's link still works.
 */

export type CarrierPlatform = 'shopify' | 'woocommerce';

/**
 * Shopify's supported tracking companies, as FulfillmentTrackingInfo.company documents them ("any
 * country" and the per-country lists): https://shopify.dev/docs/api/admin-graphql/latest/objects/FulfillmentTrackingInfo
 */
export const SHOPIFY_CARRIERS: readonly string[] = [
	'4PX', 'AGS', 'Amazon', 'Amazon Logistics UK', 'An Post', 'Anjun Logistics', 'APC', 'Asendia USA', 'Australia Post', 'Bonshaw', 'BPost',
	'BPost International', 'Canada Post', 'Canpar', 'CDL Last Mile', 'China Post', 'Chronopost', 'Chukou1', 'Colissimo', 'Comingle', 'Coordinadora',
	'Correios', 'Correos', 'CTT', 'CTT Express', 'Cyprus Post', 'Delnext', 'Deutsche Post', 'DHL eCommerce', 'DHL eCommerce Asia', 'DHL Express', 'DPD',
	'DPD Local', 'DPD UK', 'DTD Express', 'DX', 'Eagle', 'Estes', 'Evri', 'FedEx', 'First Global Logistics', 'First Line', 'FSC', 'Fulfilla', 'GLS',
	'Guangdong Weisuyi Information Technology (WSE)', 'Heppner Internationale Spedition GmbH & Co.', 'Iceland Post', 'IDEX', 'Israel Post',
	'Japan Post (EN)', 'Japan Post (JA)', 'La Poste', 'Lasership', 'Latvia Post', 'Lietuvos Paštas', 'Logisters', 'Lone Star Overnight', 'M3 Logistics',
	'Meteor Space', 'Mondial Relay', 'New Zealand Post', 'NinjaVan', 'North Russia Supply Chain (Shenzhen) Co.', 'OnTrac', 'Packeta', 'Pago Logistics',
	'Ping An Da Tengfei Express', 'Pitney Bowes', 'Portal PostNord', 'Poste Italiane', 'PostNL', 'PostNord DK', 'PostNord NO', 'PostNord SE', 'Purolator',
	'Qxpress', 'Qyun Express', 'Royal Mail', 'Royal Shipments', 'Sagawa (EN)', 'Sagawa (JA)', 'Sendle', 'SF Express', 'SFC Fulfillment',
	'SHREE NANDAN COURIER', 'Singapore Post', 'Southwest Air Cargo', 'StarTrack', 'Step Forward Freight', 'Swiss Post', 'TForce Final Mile', 'Tinghao',
	'TNT', 'Toll IPEC', 'United Delivery Service', 'UPS', 'USPS', 'Venipak', 'We Post', 'Whistl', 'Wizmo', 'WMYC', 'Xpedigo', 'XPO Logistics',
	'Yamato (EN)', 'Yamato (JA)', 'YiFan Express', 'YunExpress',
	// Shown for shops in specific countries.
	'Aramex Australia', 'TNT Australia', 'Hunter Express', 'Couriers Please', 'Bonds', 'Allied Express', 'Direct Couriers', 'Northline', 'GO Logistics',
	'Österreichische Post', 'Speedy', 'Intelcom', 'BoxKnight', 'Loomis', 'WanbExpress', 'Zásilkovna', 'Deutsche Post (DE)', 'Deutsche Post (EN)', 'DHL',
	'Swiship', 'Hermes', 'SEUR', 'Colis Privé', 'Parcelforce', 'Yodel', 'DHL Parcel', 'Tuffnells', 'ACS Courier', 'Fastway', 'DPD Ireland', 'DTDC',
	'India Post', 'Delhivery', 'Gati KWE', 'Professional Couriers', 'XpressBees', 'Ecom Express', 'Ekart', 'Shadowfax', 'Bluedart', 'BRT', 'GLS Italy',
	'Bring', 'Inpost', 'PTT', 'Yurtiçi Kargo', 'Aras Kargo', 'Sürat Kargo', 'Alliance Air Freight', 'Pilot Freight', 'LSO', 'Old Dominion', 'Pandion',
	'R+L Carriers', 'Skynet',
];

/**
 * The same carrier on each platform: Shopify's company name, the Shipment Tracking extension's provider
 * name (WC_Shipment_Tracking_Actions::get_providers), and other spellings met in the wild.
 */
const CARRIERS: ReadonlyArray<{ shopify: string | null; woocommerce: string | null; aliases?: string[] }> = [
	{ shopify: 'UPS', woocommerce: 'UPS', aliases: ['United Parcel Service', 'UPS Germany'] },
	{ shopify: 'USPS', woocommerce: 'USPS', aliases: ['United States Postal Service', 'US Postal Service'] },
	{ shopify: 'FedEx', woocommerce: 'Fedex', aliases: ['Federal Express'] },
	{ shopify: 'DHL Express', woocommerce: 'DHL', aliases: ['DHL Worldwide Express'] },
	{ shopify: 'DHL eCommerce', woocommerce: 'DHL US', aliases: ['DHL eCommerce US', 'DHL Global Mail'] },
	{ shopify: 'Deutsche Post', woocommerce: 'Deutsche Post DHL', aliases: ['Deutsche Post (DE)', 'Deutsche Post (EN)'] },
	{ shopify: 'DHL', woocommerce: 'DHL Intraship (DE)', aliases: ['DHL Paket'] },
	{ shopify: 'DPD UK', woocommerce: 'DPD.co.uk', aliases: ['DPD United Kingdom'] },
	{ shopify: 'DPD', woocommerce: 'DPD.de', aliases: ['DPD Germany'] },
	{ shopify: 'DPD Ireland', woocommerce: 'DPD.ie' },
	{ shopify: 'Royal Mail', woocommerce: 'Royal Mail' },
	{ shopify: 'Parcelforce', woocommerce: 'ParcelForce', aliases: ['Parcelforce Worldwide'] },
	{ shopify: 'Canada Post', woocommerce: 'Canada Post', aliases: ['Postes Canada'] },
	{ shopify: 'Australia Post', woocommerce: 'Australia Post' },
	{ shopify: 'Colissimo', woocommerce: 'Colissimo' },
	{ shopify: 'Correios', woocommerce: 'Correios' },
	{ shopify: 'PostNL', woocommerce: 'PostNL' },
	{ shopify: 'OnTrac', woocommerce: 'OnTrac' },
	{ shopify: 'Hermes', woocommerce: 'Hermes', aliases: ['Hermes (DE)', 'myHermes'] },
	{ shopify: 'Evri', woocommerce: null, aliases: ['Hermes UK'] },
	{ shopify: 'Purolator', woocommerce: 'Purolator' },
	{ shopify: 'An Post', woocommerce: 'An Post' },
	{ shopify: 'BPost', woocommerce: 'bpost' },
];

/** A user's row: the carrier as the source spells it → the name to write on the target. */
export interface CarrierOverride {
	from: string;
	to: string;
}

export interface CarrierChoice {
	/** The name to write, or null when the source named no carrier. */
	name: string | null;
	/** The target knows this name (Shopify builds the URL; WooCommerce lists the provider). */
	known: boolean;
	/** The carrier as the source spelled it. */
	source: string | null;
	/** Why this name: a user's row, the built-in map, the target's own list, or none (kept as given). */
	via: 'override' | 'map' | 'target' | 'none';
}

/** Names compare without case, spaces and punctuation: "DPD.co.uk" and "dpd co uk" are one carrier. */
export function carrierKey(name: string): string {
	return name.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]/g, '');
}

function findIn(names: readonly string[], name: string): string | undefined {
	const exact = names.find((n) => n === name);
	if (exact !== undefined) return exact;
	const key = carrierKey(name);
	return names.find((n) => carrierKey(n) === key);
}

/**
 * The name to write on `target` for a carrier the source calls `name`. `targetNames` is what the target
 * knows (Shopify's list; for WooCommerce, the providers the site reports); a name outside it is still
 * written, as given, and marked unknown so the caller keeps the tracking URL.
 */
export function mapCarrier(
	name: string | null | undefined,
	target: CarrierPlatform,
	targetNames: readonly string[],
	overrides: readonly CarrierOverride[] = [],
): CarrierChoice {
	const source = name?.trim() || null;
	if (source === null) return { name: null, known: false, source: null, via: 'none' };
	const key = carrierKey(source);
	const row = overrides.find((o) => o.from.trim() !== '' && carrierKey(o.from) === key);
	if (row && row.to.trim() !== '') {
		const to = row.to.trim();
		return { name: findIn(targetNames, to) ?? to, known: findIn(targetNames, to) !== undefined, source, via: 'override' };
	}
	// The source is the other platform: its spelling decides first ("DHL" is DHL Express in WooCommerce's
	// list, Shopify's German DHL in Shopify's), then other spellings, then the target's own.
	const other: CarrierPlatform = target === 'shopify' ? 'woocommerce' : 'shopify';
	const matches = (n: string | null | undefined) => !!n && carrierKey(n) === key;
	const entry = CARRIERS.find((c) => matches(c[other])) ?? CARRIERS.find((c) => (c.aliases ?? []).some(matches)) ?? CARRIERS.find((c) => matches(c[target]));
	const mapped = entry?.[target];
	if (mapped) {
		const listed = findIn(targetNames, mapped);
		if (listed !== undefined) return { name: listed, known: true, source, via: 'map' };
	}
	const listed = findIn(targetNames, source);
	if (listed !== undefined) return { name: listed, known: true, source, via: 'target' };
	return { name: source, known: false, source, via: 'none' };
}

/** Reads the node's carrier table; rows without both names are left out. */
export function readCarrierOverrides(rows: ReadonlyArray<{ from?: unknown; to?: unknown }>): CarrierOverride[] {
	return rows
		.map((r) => ({ from: String(r.from ?? '').trim(), to: String(r.to ?? '').trim() }))
		.filter((r) => r.from !== '' && r.to !== '');
}
