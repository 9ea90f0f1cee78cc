/**
 * Bulk query operations in the Shopify simulator over real HTTP, as a client sees them
 * (https://shopify.dev/docs/api/usage/bulk-operations/queries): start, poll, download the JSONL from the
 * storage host without the store's token, and the validation, concurrency and cancel rules.
 */
import { startShopifySimulator } from './index';
import type { ShopifySimulator } from './index';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const RUN = `mutation Run($query: String!) {
	bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message code } }
}`;
const STATUS = `query Status($id: ID!) {
	node(id: $id) { ... on BulkOperation { id status errorCode objectCount rootObjectCount fileSize url partialDataUrl completedAt createdAt type query } }
}`;
const CANCEL = `mutation Cancel($id: ID!) {
	bulkOperationCancel(id: $id) { bulkOperation { id status objectCount url } userErrors { field message } }
}`;
const ORDERS_WITH_LINES = `{
	orders {
		edges { node {
			id name totalPriceSet { shopMoney { amount } } shippingAddress { city }
			lineItems { edges { node { id sku quantity taxLines { title } } } }
		} }
	}
}`;

async function gql(sim: ShopifySimulator, query: string, variables: Json = {}, version = '2026-10'): Promise<Json> {
	const response = await fetch(`${sim.url}/admin/api/${version}/graphql.json`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-shopify-access-token': sim.accessToken },
		body: JSON.stringify({ query, variables }),
	});
	return (await response.json()) as Json;
}

async function run(sim: ShopifySimulator, query: string, version?: string): Promise<Json> {
	const r = await gql(sim, RUN, { query }, version);
	expect(r.errors).toBeUndefined();
	return r.data.bulkOperationRunQuery;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls node(id:) until the operation is finished one way or another; returns every status seen. */
async function waitFor(sim: ShopifySimulator, id: string): Promise<{ final: Json; seen: Json[] }> {
	const seen: Json[] = [];
	for (let i = 0; i < 200; i++) {
		const node = (await gql(sim, STATUS, { id })).data.node as Json;
		seen.push(node);
		if (['COMPLETED', 'CANCELED', 'FAILED', 'EXPIRED'].includes(node.status)) return { final: node, seen };
		await sleep(25);
	}
	throw new Error(`bulk operation id did not finish`);
}

function parseJsonl(text: string): Json[] {
	return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Json);
}

describe('Shopify simulator bulk queries', () => {
	let sim: ShopifySimulator;
	beforeAll(async () => {
		sim = await startShopifySimulator({ orders: 2000, seed: 7, restoreRate: 1e6, bucketSize: 1e6, bulkObjectsPerSecond: 20_000, bulkStartupMs: 100 });
	});
	afterAll(() => sim.close());
	beforeEach(() => fetch(`${sim.url}/__sim/reset`, { method: 'POST' }));

	it('exports every order with its lines as JSONL, downloadable only without the store token', async () => {
		const started = await gql(sim, RUN, { query: ORDERS_WITH_LINES });
		expect(started.extensions.cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 10 });
		const { bulkOperation, userErrors } = started.data.bulkOperationRunQuery;
		expect(userErrors).toEqual([]);
		expect(bulkOperation.status).toBe('CREATED');
		expect(bulkOperation.id).toMatch(/^gid:\/\/shopify\/BulkOperation\/\d+$/);

		const { final, seen } = await waitFor(sim, bulkOperation.id);
		const lineCount = sim.store.orders.reduce((s, o) => s + o.lineItems.length, 0);
		const total = sim.store.orders.length + lineCount;
		// RUNNING with a count that grows, then COMPLETED with everything.
		expect(seen.some((s) => s.status === 'RUNNING')).toBe(true);
		const counts = seen.map((s) => Number(s.objectCount));
		expect(counts).toEqual([...counts].sort((a, b) => a - b));
		expect(counts.some((c) => c > 0 && c < total)).toBe(true);
		expect(final).toMatchObject({
			status: 'COMPLETED', type: 'QUERY', errorCode: null, partialDataUrl: null, objectCount: String(total), rootObjectCount: '2000', query: ORDERS_WITH_LINES,
		});
		expect(final.completedAt >= final.createdAt).toBe(true);
		expect(final.url).toMatch(new RegExp(`^${sim.url}/__bulk/\\d+\\.jsonl\\?sig=[0-9a-f]+$`));

		// Polls are ordinary queries: they cost 1 point; currentBulkOperation and bulkOperation(id:) agree.
		const current = await gql(sim, `{ currentBulkOperation(type: QUERY) { id status } bulkOperation(id: "${bulkOperation.id}") { url } }`);
		expect(current.data).toEqual({ currentBulkOperation: { id: bulkOperation.id, status: 'COMPLETED' }, bulkOperation: { url: final.url } });
		expect((await gql(sim, STATUS, { id: bulkOperation.id })).extensions.cost.requestedQueryCost).toBe(1);

		// The storage host refuses Shopify credentials, and URLs without the right signature.
		const leaked = await fetch(final.url, { headers: { 'x-shopify-access-token': sim.accessToken } });
		expect(leaked.status).toBe(400);
		expect(await leaked.json()).toEqual({ error: 'unexpected credentials sent to the storage host' });
		expect((await fetch(final.url.replace(/sig=\w+/, 'sig=0000'))).status).toBe(403);
		expect((await fetch(final.url.replace(/\?sig=\w+/, ''))).status).toBe(403);

		const download = await fetch(final.url);
		expect(download.status).toBe(200);
		expect(download.headers.get('content-type')).toBe('application/jsonl');
		const text = await download.text();
		expect(String(Buffer.byteLength(text))).toBe(final.fileSize);
		const lines = parseJsonl(text);
		expect(lines).toHaveLength(total);

		const roots = lines.filter((l) => l.__parentId === undefined);
		expect(roots.map((r) => r.id).sort()).toEqual(sim.store.orders.map((o) => `gid://shopify/Order/${o.id}`).sort());
		// Nested objects and lists stay inline; the nested connection does not.
		expect(Object.keys(roots[0])).toEqual(['id', 'name', 'totalPriceSet', 'shippingAddress']);
		expect(roots[0].totalPriceSet.shopMoney.amount).toMatch(/^\d+\.\d+$/);
		// Each line item once, after its order, carrying the order's id; every order's lines, in order.
		const position = new Map(lines.map((l, i) => [l.id as string, i]));
		const children = lines.filter((l) => l.__parentId !== undefined);
		expect(children).toHaveLength(lineCount);
		expect(children.filter((c) => !/^gid:\/\/shopify\/LineItem\/\d+$/.test(c.id) || !Array.isArray(c.taxLines))).toEqual([]);
		expect(children.filter((c) => !(position.get(c.__parentId)! < position.get(c.id)!))).toEqual([]);
		const skusByOrder = new Map<string, Array<string | null>>();
		for (const c of children) skusByOrder.set(c.__parentId, [...(skusByOrder.get(c.__parentId) ?? []), c.sku]);
		const expected = new Map(sim.store.orders.filter((o) => o.lineItems.length > 0).map((o) => [`gid://shopify/Order/${o.id}`, o.lineItems.map((l) => l.sku)]));
		expect(skusByOrder).toEqual(expected);

		// A finished operation cannot be canceled.
		const cancel = await gql(sim, CANCEL, { id: bulkOperation.id });
		expect(cancel.data.bulkOperationCancel.userErrors).toEqual([{ field: null, message: 'A bulk operation cannot be canceled when it is completed' }]);
	}, 15_000);

	it('applies search filters and sort keys, ignores pagination, and gives no file for an empty result', async () => {
		const byUpdate = [...sim.store.orders].sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : a.id - b.id));
		const cutoff = byUpdate[1500].updatedAt;
		const query = `{ orders(first: 5, query: "updated_at:>='${cutoff}'", sortKey: UPDATED_AT, reverse: true) {
			edges { cursor node { id updatedAt } } pageInfo { hasNextPage endCursor }
		} }`;
		const started = await run(sim, query);
		const { final } = await waitFor(sim, started.bulkOperation.id);
		const lines = parseJsonl(await (await fetch(final.url)).text());
		const expected = byUpdate.filter((o) => o.updatedAt >= cutoff).reverse();
		expect(expected.length).toBeGreaterThan(250);
		expect(lines.map((l) => l.id)).toEqual(expected.map((o) => `gid://shopify/Order/${o.id}`));
		expect(Object.keys(lines[0])).toEqual(['id', 'updatedAt']);

		const empty = await run(sim, '{ orders(query: "name:no-such-order") { edges { node { id } } } }');
		const done = await waitFor(sim, empty.bulkOperation.id);
		expect(done.final).toMatchObject({ status: 'COMPLETED', objectCount: '0', rootObjectCount: '0', url: null, fileSize: null });
	});

	it('validates the inner query against the schema and the bulk restrictions', async () => {
		const invalid = (message: string) => ({ field: ['query'], message, code: 'INVALID' });
		const cases: Array<[string, Json[]]> = [
			['{ orders { edges { node { id foo } } } }', [invalid("Invalid bulk query: Field 'foo' doesn't exist on type 'Order'")]],
			['', [invalid('Invalid bulk query: syntax error, unexpected end of file')]],
			['{ shop { id } }', [invalid('Bulk queries must contain at least one connection.')]],
			['mutation { tagsAdd(id: "gid://shopify/Order/1", tags: ["x"]) { userErrors { message } } }', [invalid('Invalid operation type. Only `query` operations are supported.')]],
			['{ orders { nodes { id } } }', [invalid(
				"All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: 'orders { edges { node {'. Selecting via 'nodes' is not supported. Invalid connection fields: 'orders'.",
			)]],
			['{ node(id: "gid://shopify/Order/1") { id } }', [invalid('Bulk queries cannot contain a top level `node` field.'), invalid('Bulk queries must contain at least one connection.')]],
			[`{ orders { edges { node { id fulfillmentOrders { edges { node { id fulfillments { edges { node { id
				fulfillmentLineItems { edges { node { id } } } } } } } } } } } } }`, [invalid('Bulk queries cannot contain connections with a nesting depth greater than 2.')]],
			[`{ orders { edges { node { id lineItems { edges { node { id } } } shippingLines { edges { node { id } } }
				fulfillmentOrders { edges { node { id } } } events { edges { node { id } } } returns { edges { node { id } } } } } } }`,
			[invalid('Bulk queries cannot contain more than 5 connections.')]],
			['{ orders { edges { node { name lineItems { edges { node { id } } } } } } }', [invalid(
				"The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. Connection fields without 'id': orders.",
			)]],
			['{ orders { edges { node { id fulfillments { fulfillmentLineItems { edges { node { id } } } } } } } }', [
				invalid('Queries that contain a connection field within a list field are not currently supported.'),
			]],
		];
		for (const [query, errors] of cases) {
			const r = await gql(sim, RUN, { query });
			expect(r.errors).toBeUndefined();
			expect(r.data.bulkOperationRunQuery).toEqual({ bulkOperation: null, userErrors: errors });
			expect(r.extensions.cost.actualQueryCost).toBe(10);
		}
		expect(await (await fetch(`${sim.url}/__sim/bulk`)).json()).toEqual([]);
		// A leaf connection of objects that are not Nodes (ShippingLine) is fine: only parents need an id.
		const leaf = await run(sim, '{ orders { edges { node { id shippingLines { edges { node { title } } } } } } }');
		expect(leaf.userErrors).toEqual([]);
	});

	it('lists operations at /__sim/bulk and lets fault rules hit downloads as bulkDownload', async () => {
		const started = await run(sim, '{ orders(query: "financial_status:paid") { edges { node { id } } } }');
		const { final } = await waitFor(sim, started.bulkOperation.id);
		const listed = (await (await fetch(`${sim.url}/__sim/bulk`)).json()) as Json[];
		expect(listed).toEqual([expect.objectContaining({ id: started.bulkOperation.id, status: 'COMPLETED', url: final.url })]);
		await fetch(`${sim.url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ kind: 'status503', match: '^bulkDownload$', times: 1 }) });
		expect((await fetch(final.url)).status).toBe(503);
		const retried = await fetch(final.url);
		expect(retried.status).toBe(200);
		expect(parseJsonl(await retried.text())).toHaveLength(sim.store.orders.filter((o) => o.displayFinancialStatus === 'PAID').length);
		const log = (await (await fetch(`${sim.url}/__sim/log`)).json()) as Json[];
		expect(log.filter((e) => e.label === 'bulkDownload').map((e) => e.status)).toEqual([503, 200]);
	});
});

describe('Shopify simulator bulk query concurrency and cancel', () => {
	let sim: ShopifySimulator;
	beforeAll(async () => {
		// Slow enough that operations stay RUNNING for the whole test.
		sim = await startShopifySimulator({ orders: 50, seed: 8, restoreRate: 1e6, bucketSize: 1e6, bulkStartupMs: 60_000 });
	});
	afterAll(() => sim.close());
	beforeEach(() => fetch(`${sim.url}/__sim/reset`, { method: 'POST' }));

	const QUERY = '{ orders { edges { node { id } } } }';

	it('runs up to five bulk queries at once from 2026-01, one before', async () => {
		const ids: string[] = [];
		for (let i = 0; i < 5; i++) {
			const r = await run(sim, QUERY);
			expect(r.userErrors).toEqual([]);
			ids.push(r.bulkOperation.id);
		}
		const inProgress = {
			bulkOperation: null,
			userErrors: [{ field: null, message: `A bulk query operation for this app and shop is already in progress: ${ids.join(', ')}.`, code: 'OPERATION_IN_PROGRESS' }],
		};
		expect(await run(sim, QUERY)).toEqual(inProgress);

		// CANCELING still counts; CANCELED frees the place.
		const cancel = await gql(sim, CANCEL, { id: ids[0] });
		expect(cancel.data.bulkOperationCancel).toEqual({ bulkOperation: { id: ids[0], status: 'CANCELING', objectCount: '0', url: null }, userErrors: [] });
		expect(await run(sim, QUERY)).toEqual(inProgress);
		await sleep(250);
		expect((await run(sim, QUERY)).userErrors).toEqual([]);

		await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
		const first = await run(sim, QUERY, '2025-10');
		expect(first.userErrors).toEqual([]);
		expect((await run(sim, QUERY, '2025-10')).userErrors).toEqual([
			{ field: null, message: `A bulk query operation for this app and shop is already in progress: ${first.bulkOperation.id}.`, code: 'OPERATION_IN_PROGRESS' },
		]);
	});

	it('cancels a running operation: CANCELING, then CANCELED without a file', async () => {
		const started = await run(sim, QUERY);
		const id = started.bulkOperation.id as string;
		expect((await gql(sim, STATUS, { id })).data.node.status).toBe('RUNNING');
		const cancel = await gql(sim, CANCEL, { id });
		expect(cancel.data.bulkOperationCancel.bulkOperation.status).toBe('CANCELING');
		expect((await gql(sim, `{ currentBulkOperation { id status } }`)).data.currentBulkOperation).toEqual({ id, status: 'CANCELING' });
		const { final } = await waitFor(sim, id);
		expect(final).toMatchObject({ status: 'CANCELED', url: null, fileSize: null, completedAt: null, errorCode: null });
		const again = await gql(sim, CANCEL, { id });
		expect(again.data.bulkOperationCancel.userErrors).toEqual([{ field: null, message: 'A bulk operation cannot be canceled when it is canceled' }]);
		const unknown = await gql(sim, CANCEL, { id: 'gid://shopify/BulkOperation/1' });
		expect(unknown.data.bulkOperationCancel).toEqual({ bulkOperation: null, userErrors: [{ field: ['id'], message: 'Bulk operation does not exist' }] });
	});
});
