/**
 * The daily sales report template, imported as a user would import it, run in real n8n against the
 * Shopify and WooCommerce simulators and a local SMTP sink: the email it sends carries counts, totals and
 * top products that match the simulators' own data, and a chart that parses as SVG with one series
 * per channel.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { templateCredentials } from './harness/fixtures';
import { N8nInstance } from './harness/n8n';
import { workflowId } from './harness/workflow';
import { startShopifySimulator } from '../simulators/shopify';
import type { ShopifySimulator } from '../simulators/shopify';
import { startWooSimulator } from '../simulators/woocommerce';
import type { WooSimulator } from '../simulators/woocommerce';
import { startSmtpSink } from '../support/smtpSink';
import type { SmtpSink } from '../support/smtpSink';

type Json = Record<string, any>;

const DAY = 86_400_000;
const cents = (amount: string) => Math.round(Number(amount) * 100);

describe('daily sales report template in real n8n', () => {
	let n8n: N8nInstance;
	let shopify: ShopifySimulator;
	let woo: WooSimulator;
	let smtp: SmtpSink;
	/** Yesterday (UTC) as n8n will see it: set once the test is clear of midnight. */
	let yesterday = 0;

	beforeAll(async () => {
		// The test and n8n each decide which day "yesterday" is: a run that starts in the last minutes
		// before midnight (UTC) waits for the new day, so both agree.
		const toMidnight = DAY - (Date.now() % DAY);
		if (toMidnight < 5 * 60_000) await new Promise((r) => setTimeout(r, toMidnight + 5_000));
		yesterday = Math.floor(Date.now() / DAY) * DAY - DAY;
		// Orders every 5 minutes from 00:30 yesterday (UTC): 150 of them end at 13:00 yesterday.
		const start = new Date(yesterday + 30 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
		shopify = await startShopifySimulator({ orders: 150, products: 15, seed: 21, start, orderSpacingMs: 300_000, restoreRate: 1000, bucketSize: 20000 });
		woo = await startWooSimulator({ orders: 150, products: 15, seed: 22, start, orderSpacingMs: 300_000 });
		smtp = await startSmtpSink();
		n8n = N8nInstance.create();
		await n8n.importCredentials(templateCredentials(shopify, woo, smtp.port));
	}, 420_000);
	afterAll(async () => {
		n8n?.dispose();
		await Promise.all([shopify?.close(), woo?.close(), smtp?.close()]);
	});

	it('emails yesterday\'s figures per channel, top products and a chart, matching the stores', async () => {
		const template = JSON.parse(readFileSync(join(__dirname, '..', '..', 'workflows', 'daily-sales-report.json'), 'utf8')) as Json;
		const workflow = { ...template, id: workflowId('dailysales'), active: false };
		const result = await n8n.runWorkflow(workflow as never);
		expect(result.error?.message).toBeUndefined();
		expect(result.ok).toBe(true);

		// The oracle, from the simulators' own records: orders placed yesterday and not cancelled.
		const inDay = (iso: string) => Date.parse(iso.endsWith('Z') ? iso : `${iso}Z`) >= yesterday && Date.parse(iso.endsWith('Z') ? iso : `${iso}Z`) < yesterday + DAY;
		const shopOrders = shopify.store.orders.filter((o) => inDay(o.createdAt) && !o.cancelledAt);
		const wooOrders = woo.store.orders.filter((o) => inDay(o.date_created_gmt) && !['cancelled', 'refunded'].includes(o.status));
		expect(shopOrders.length).toBeGreaterThan(100);
		expect(wooOrders.length).toBeGreaterThan(80);
		const report = result.json('Sales Report')[0] as Json;
		const byChannel = Object.fromEntries((report.channels as Json[]).map((c) => [c.channel, c]));
		expect(byChannel.shopify.orders).toBe(shopOrders.length);
		expect(byChannel.woocommerce.orders).toBe(wooOrders.length);
		const wooTotal = wooOrders.reduce((sum, o) => sum + cents(o.total), 0);
		expect(byChannel.woocommerce.totals[woo.store.currency ?? 'USD']).toBe(wooTotal);

		// Top product by units, across both channels, from the stores' line items.
		const units = new Map<string, number>();
		for (const o of shopOrders) for (const l of o.lineItems) if (l.sku) units.set(l.sku, (units.get(l.sku) ?? 0) + l.quantity);
		for (const o of wooOrders) for (const l of o.line_items) if (l.sku) units.set(l.sku, (units.get(l.sku) ?? 0) + l.quantity);
		const top = [...units.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
		expect([report.topProducts[0].sku, report.topProducts[0].units]).toEqual(top);

		// The email: sent once, subject with the count, HTML table, SVG chart attached with two series.
		expect(smtp.mails).toHaveLength(1);
		const mail = smtp.mails[0].data;
		expect(mail).toContain(`orders`);
		expect(mail).toMatch(/Content-Type: text\/html/i);
		const svgPart = /Content-Type: image\/svg\+xml[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*?)\r\n--/i.exec(mail);
		expect(svgPart).not.toBeNull();
		const svg = Buffer.from(svgPart![1].replace(/\s+/g, ''), 'base64').toString('utf8');
		expect(XMLValidator.validate(svg)).toBe(true);
		const parsed = new XMLParser({ ignoreAttributes: false }).parse(svg) as Json;
		expect(JSON.stringify(parsed)).toContain('shopify');
		expect(JSON.stringify(parsed)).toContain('woocommerce');
	});
});
