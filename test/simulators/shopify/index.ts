/**
 * The Shopify Admin API simulator: a faithful fake of what the pack uses, for tests and benchmarks.
 * GraphQL at POST /admin/api/{version}/graphql.json, validated against the official schema (schema.ts)
 * and executed by graphql-js over the in-memory store (views.ts, mutations.ts), with Shopify's calculated
 * query cost and leaky bucket (cost.ts, bucket.ts), keyset cursors (pagination.ts) and search syntax
 * (search.ts); bulk query operations with their JSONL result files (bulk.ts); the legacy REST orders/shop
 * endpoints with their own bucket (rest.ts). Built on the common simulator server (fault injection, request
 * log, /__sim/* inspection).
 *
 * Refunds: refundCreate (mutations.ts) with line items, restock, shipping and REFUND transactions, listed in
 * Order.refunds with orderCancel's money-only refunds.
 *
 * Not modelled (deliberately): scopes (read_all_orders and the 60-day window), multi-currency presentment
 * amounts, returns (returnCreate, Refund.return), duties, suggestedRefund, refund line items on orderCancel's
 * refund, order editing, discount applications other than orderCreate's discount
 * code, metafields, webhooks (bulk_operations/finish included), bulk mutations, customer notifications other
 * than orderCreate's order confirmation (the `emails` outbox of /__sim/state), the 5-orders-a-minute limit
 * of development stores, and any field or mutation not listed in views.ts / mutations.ts / bulk.ts (they
 * resolve to null or a GraphQL error, never to made-up data).
 */
import { GraphQLError, Kind, execute, getVariableValues, parse, validate } from 'graphql';
import type { DocumentNode, ExecutionResult, GraphQLFormattedError, OperationDefinitionNode } from 'graphql';
import { startSimulator } from '../common/server';
import type { Simulator, SimRequest, SimResponse } from '../common/server';
import { CostBucket, RequestBucket } from './bucket';
import { BULK_DOWNLOAD_PATH, BulkOperations } from './bulk';
import { MAX_SINGLE_QUERY_COST, actualQueryCost, requestedQueryCost, selectOperation } from './cost';
import { ShopData, parseGid } from './data';
import { mutationRoot } from './mutations';
import type { MutationContext } from './mutations';
import { REST_PATH, handleRest } from './rest';
import { shopifySchema } from './schema';
import { decimal, newId, openFulfillmentOrder, orderTotals, seedShopifyStore } from './store';
import type { SeedOptions, ShopifyStore, SimOrder } from './store';
import { Views } from './views';

export type { SeedOptions, ShopifyStore, SimOrder } from './store';

export interface ShopifySimOptions extends SeedOptions {
	port?: number;
	/** The Admin API access token the simulator accepts. Default 'shpat_sim_token' (a demo value, not a secret). */
	accessToken?: string;
	/** GraphQL bucket restore rate in points per second. Default 100 (Standard plan). */
	restoreRate?: number;
	/** GraphQL bucket size in points. Default 2000. */
	bucketSize?: number;
	/**
	 * Bulk query processing speed: objects (JSONL lines: root nodes and nested connection nodes) per second.
	 * Default 10,000. https://shopify.dev/docs/api/usage/bulk-operations/queries
	 */
	bulkObjectsPerSecond?: number;
	/** Time a bulk query spends RUNNING before its first object is processed. Default 500 ms. */
	bulkStartupMs?: number;
}

export interface ShopifySimulator extends Simulator {
	/** The live store (reset restores its seeded content in place, so this reference stays valid). */
	store: ShopifyStore;
	accessToken: string;
	/** url + '/admin/api/2026-10/graphql.json' */
	graphqlUrl: string;
	/** Adds an order as if placed now (paid, one line of the first variant unless `partial` says otherwise). */
	addOrder(partial?: Partial<SimOrder>): SimOrder;
	/** Changes an order (numeric id or gid) and bumps its updatedAt to now unless the patch sets it. */
	updateOrder(id: number | string, patch: Partial<SimOrder>): SimOrder;
	/** The GraphQL bucket's size and restore rate from now on (it starts full). */
	setRateLimit(limits: { restoreRate: number; bucketSize: number }): void;
	/** Points (actual query cost) charged so far. */
	pointsSpent(): number;
}

export const DEFAULT_ACCESS_TOKEN = 'shpat_sim_token';
const API_VERSION = '2026-10';
const GRAPHQL_PATH = /^\/admin\/api\/(\d{4}-\d{2}|unstable)\/graphql\.json$/;
const THROTTLED_DOC = 'https://shopify.dev/api/usage/rate-limits';

/** Shopify's answer to a missing or wrong token: https://shopify.dev/docs/api/usage/authentication */
const UNAUTHORIZED: SimResponse = { status: 401, body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' } };

/** Parsed documents and their validation errors by query text: clients send the same documents again and again. */
const documentCache = new Map<string, { document?: DocumentNode; errors: GraphQLFormattedError[] }>();

function locationsOf(error: GraphQLError): Array<{ line: number; column: number }> | undefined {
	return error.locations?.map((l) => ({ line: l.line, column: l.column }));
}

/**
 * graphql-js validation messages reworded as Shopify (graphql-ruby) words them, with its error codes,
 * for the common cases; others keep graphql-js's message.
 */
export function shopifyValidationError(error: GraphQLError): GraphQLFormattedError {
	const locations = locationsOf(error);
	const out = (message: string, extensions: Record<string, unknown>): GraphQLFormattedError => ({ message, ...(locations ? { locations } : {}), extensions });
	let m: RegExpExecArray | null;
	if ((m = /^Cannot query field "(.+?)" on type "(.+?)"\./.exec(error.message))) {
		return out(`Field '${m[1]}' doesn't exist on type '${m[2]}'`, { code: 'undefinedField', typeName: m[2], fieldName: m[1] });
	}
	if ((m = /^Unknown argument "(.+?)" on field "(.+?)\.(.+?)"\./.exec(error.message))) {
		return out(`Field '${m[3]}' doesn't accept argument '${m[1]}'`, { code: 'argumentNotAccepted', name: m[3], typeName: 'Field', argumentName: m[1] });
	}
	if ((m = /^Field "(.+?)" argument "(.+?)" of type "(.+?)" is required, but it was not provided\./.exec(error.message))) {
		return out(`Field '${m[1]}' is missing required arguments: ${m[2]}`, { code: 'missingRequiredArguments', className: 'Field', name: m[1], arguments: m[2] });
	}
	if ((m = /^Field "(.+?)" of type "(.+?)" must have a selection of subfields/.exec(error.message))) {
		return out(`Field must have selections (field '${m[1]}' returns ${m[2].replace(/[[\]!]/g, '')} but has no selections. Did you mean '${m[1]} { ... }'?)`, {
			code: 'selectionMismatch', nodeName: `field '${m[1]}'`, typeName: m[2].replace(/[[\]!]/g, ''),
		});
	}
	if ((m = /^Field "(.+?)" must not have a selection since type "(.+?)" has no subfields\./.exec(error.message))) {
		return out(`Selections can't be made on scalars (field '${m[1]}' returns ${m[2].replace(/[[\]!]/g, '')} but has selections [...])`, {
			code: 'selectionMismatch', nodeName: `field '${m[1]}'`, typeName: m[2].replace(/[[\]!]/g, ''),
		});
	}
	if ((m = /^Variable "\$(.+?)" is never used/.exec(error.message))) {
		return out(`Variable $${m[1]} is declared but not used`, { code: 'variableNotUsed', variableName: m[1] });
	}
	if ((m = /^Variable "\$(.+?)" is not defined/.exec(error.message))) {
		return out(`Variable $${m[1]} is used but not declared`, { code: 'variableNotDefined', variableName: m[1] });
	}
	if ((m = /^Unknown type "(.+?)"\./.exec(error.message))) {
		return out(`No such type ${m[1]}, so it can't be a fragment condition`, { code: 'undefinedType', typeName: m[1] });
	}
	return out(error.message, { code: 'validationError' });
}

/** Variable coercion failures, as Shopify reports them ("Variable $x of type T was provided invalid value"). */
function variableError(error: GraphQLError, operation: OperationDefinitionNode): GraphQLFormattedError {
	const name = /^Variable "\$(\w+)"/.exec(error.message)?.[1];
	const definition = operation.variableDefinitions?.find((v) => v.variable.name.value === name);
	const typeText = definition ? printTypeNode(definition.type) : 'unknown';
	const explanation = / was not provided\.$/.test(error.message)
		? 'Expected value to not be null'
		: error.message.replace(/^Variable "\$\w+" (of required type "[^"]+" )?/, '');
	return {
		message: `Variable $${name ?? '?'} of type ${typeText} was provided invalid value`,
		...(locationsOf(error) ? { locations: locationsOf(error) } : {}),
		extensions: { code: 'variableMismatch', problems: [{ path: [], explanation }] },
	};
}

function printTypeNode(node: NonNullable<OperationDefinitionNode['variableDefinitions']>[number]['type']): string {
	if (node.kind === Kind.NON_NULL_TYPE) return `${printTypeNode(node.type)}!`;
	if (node.kind === Kind.LIST_TYPE) return `[${printTypeNode(node.type)}]`;
	return node.name.value;
}

function documentFor(query: string): { document?: DocumentNode; errors: GraphQLFormattedError[] } {
	const cached = documentCache.get(query);
	if (cached) return cached;
	let entry: { document?: DocumentNode; errors: GraphQLFormattedError[] };
	try {
		const document = parse(query);
		entry = { document, errors: validate(shopifySchema(), document).map(shopifyValidationError) };
	} catch (error) {
		const e = error as GraphQLError;
		entry = { errors: [{ message: e.message, ...(locationsOf(e) ? { locations: locationsOf(e) } : {}), extensions: { code: 'parseError' } }] };
	}
	if (documentCache.size > 500) documentCache.clear();
	documentCache.set(query, entry);
	return entry;
}

interface GraphqlBody {
	query?: unknown;
	variables?: unknown;
	operationName?: unknown;
}

/** The query text and variables of a GraphQL request (JSON body, or application/graphql raw text). */
function graphqlBody(request: SimRequest): { query?: string; variables: Record<string, unknown>; operationName?: string } {
	if ((request.headers['content-type'] ?? '').includes('application/graphql')) return { query: request.rawBody, variables: {} };
	const body = (request.json ?? {}) as GraphqlBody;
	const variables = body.variables && typeof body.variables === 'object' ? (body.variables as Record<string, unknown>) : {};
	return {
		query: typeof body.query === 'string' ? body.query : undefined,
		variables,
		operationName: typeof body.operationName === 'string' && body.operationName ? body.operationName : undefined,
	};
}

function operationOf(request: SimRequest): OperationDefinitionNode | undefined {
	const { query, operationName } = graphqlBody(request);
	if (!query) return undefined;
	const { document } = documentFor(query);
	return document ? selectOperation(document, operationName) : undefined;
}

/**
 * The operation's name, else its first root field: how requests are labelled for the log and fault rules;
 * bulk result file downloads are `bulkDownload`.
 */
function labelOf(request: SimRequest): string | undefined {
	if (BULK_DOWNLOAD_PATH.test(request.path)) return 'bulkDownload';
	if (!GRAPHQL_PATH.test(request.path)) return undefined;
	const operation = operationOf(request);
	if (!operation) return undefined;
	if (operation.name) return operation.name.value;
	const first = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
	return first && first.kind === Kind.FIELD ? first.name.value : undefined;
}

export async function startShopifySimulator(options: ShopifySimOptions = {}): Promise<ShopifySimulator> {
	const accessToken = options.accessToken ?? DEFAULT_ACCESS_TOKEN;
	const seed = (): ShopifyStore => seedShopifyStore({ orders: 0, ...options });
	const store = seed();
	const data = new ShopData(store);
	const jobs = new Map<string, boolean>();
	const views = new Views(data, jobs);
	const ctx: MutationContext = { data, views, jobs, idempotency: new Map() };
	const costBucket = new CostBucket(options.bucketSize ?? 2000, options.restoreRate ?? 100);
	/** Actual cost of every query answered, for benchmarks' rate-limit floors. */
	let pointsSpent = 0;
	const restBucket = new RequestBucket(40, 2);
	const schema = shopifySchema();
	const queryRoot = views.queryRoot();
	let baseUrl = '';
	const bulk = new BulkOperations({
		data, schema, queryRoot: () => queryRoot, baseUrl: () => baseUrl, formatError: shopifyValidationError,
		timing: { objectsPerSecond: options.bulkObjectsPerSecond ?? 10_000, startupMs: options.bulkStartupMs ?? 500 },
	});
	Object.assign(queryRoot, bulk.queryFields());
	views.otherNodes.set('BulkOperation', (id) => bulk.node(id));
	const mutations = { ...mutationRoot(ctx), ...bulk.mutationFields() };

	/**
	 * One GraphQL request, as https://shopify.dev/docs/api/admin-graphql describes: parse and validate
	 * (errors with HTTP 200), then calculated cost (https://shopify.dev/docs/api/usage/rate-limits): over
	 * 1,000 is refused outright; more than the bucket holds is THROTTLED without running; otherwise the
	 * requested cost is taken, the query runs, and the difference to the actual cost is given back.
	 */
	function handleGraphql(request: SimRequest, apiVersion: string): SimResponse {
		const { query, variables, operationName } = graphqlBody(request);
		if (!query) return { status: 400, body: { errors: { query: 'Required parameter missing or invalid' } } };
		const { document, errors } = documentFor(query);
		if (!document || errors.length > 0) return { status: 200, body: { errors } };
		const operation = selectOperation(document, operationName);
		if (!operation) {
			const message = operationName ? `No operation named "${operationName}"` : 'An operation name is required';
			return { status: 200, body: { errors: [{ message, extensions: { code: 'operationNotFound' } }] } };
		}
		if (operation.operation === 'subscription') {
			return { status: 200, body: { errors: [{ message: 'Subscriptions are not supported', extensions: { code: 'subscriptionsNotSupported' } }] } };
		}
		const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
		if (coerced.errors) return { status: 200, body: { errors: coerced.errors.map((e) => variableError(e, operation)) } };

		const requested = requestedQueryCost(schema, document, operation, coerced.coerced);
		if (requested > MAX_SINGLE_QUERY_COST) {
			return {
				status: 200,
				body: {
					errors: [{
						message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_SINGLE_QUERY_COST}).`,
						extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: MAX_SINGLE_QUERY_COST },
					}],
					extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: costBucket.status() } },
				},
			};
		}
		if (!costBucket.take(requested)) {
			return {
				status: 200,
				body: {
					errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: THROTTLED_DOC } }],
					extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: costBucket.status() } },
				},
			};
		}
		const result = execute({
			schema, document, operationName, variableValues: variables, contextValue: { apiVersion },
			rootValue: operation.operation === 'mutation' ? mutations : queryRoot,
		}) as ExecutionResult;
		const actual = Math.min(requested, actualQueryCost(schema, document, operation, coerced.coerced, result.data));
		costBucket.refund(requested - actual);
		pointsSpent += actual;
		const body: Record<string, unknown> = {};
		if (result.errors && result.errors.length > 0) body.errors = result.errors.map((e) => e.toJSON());
		body.data = result.data ?? null;
		body.extensions = { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: costBucket.status() } };
		return { status: 200, body };
	}

	async function handler(request: SimRequest): Promise<SimResponse> {
		// Result files are on the storage host, outside the Admin API and its authentication.
		const download = BULK_DOWNLOAD_PATH.exec(request.path);
		if (download) return bulk.download(request, Number(download[1]));
		const graphql = GRAPHQL_PATH.exec(request.path);
		const rest = graphql ? null : REST_PATH.exec(request.path);
		if (!graphql && !rest) return { status: 404, body: { errors: 'Not Found' } };
		if (request.headers['x-shopify-access-token'] !== accessToken) return UNAUTHORIZED;
		const version = (graphql ?? rest)![1];
		const response = graphql
			? request.method === 'POST' ? handleGraphql(request, version) : { status: 404, body: { errors: 'Not Found' } }
			: handleRest(request, data, restBucket, baseUrl || `http://${request.headers.host ?? '127.0.0.1'}`, rest![2]);
		// Shopify says which version answered: https://shopify.dev/docs/api/usage/versioning
		return { ...response, headers: { ...(response.headers ?? {}), 'x-shopify-api-version': version } };
	}

	function findOrder(id: number | string): SimOrder {
		const numeric = typeof id === 'number' ? id : (parseGid(id)?.id ?? Number(id));
		const order = data.order(numeric);
		if (!order) throw new Error(`simulator: no order ${String(id)}`);
		return order;
	}

	function addOrder(partial: Partial<SimOrder> = {}): SimOrder {
		const now = data.now();
		const variant = store.variants.find((v) => !v.requiresComponents);
		const product = variant ? data.product(variant.productId) : undefined;
		const orderNumber = store.nextOrderNumber++;
		const email = `new.customer${orderNumber}@example.com`;
		const address = {
			firstName: 'New', lastName: 'Customer', company: null, address1: '1 Main St', address2: null, city: 'Springfield', province: 'Illinois',
			provinceCode: 'IL', zip: '62701', countryCode: 'US', phone: null,
		};
		const order: SimOrder = {
			id: newId(store), name: `#${orderNumber}`, orderNumber, createdAt: now, updatedAt: now, processedAt: now, cancelledAt: null, cancelReason: null,
			closed: false, closedAt: null, displayFinancialStatus: 'PAID', displayFulfillmentStatus: 'UNFULFILLED', currencyCode: store.shop.currencyCode,
			taxesIncluded: false, email, phone: null, note: null, tags: [], sourceName: 'web', sourceIdentifier: null, poNumber: null,
			customer: { id: newId(store), firstName: 'New', lastName: 'Customer', email, phone: null }, shippingAddress: address, billingAddress: { ...address },
			lineItems: variant
				? [{
					id: newId(store), variantId: variant.id, productId: variant.productId, sku: variant.sku, title: product?.title ?? 'Product',
					variantTitle: variant.title, name: `${product?.title ?? 'Product'} - ${variant.title}`, vendor: product?.vendor ?? null, quantity: 1,
					fulfillableQuantity: 1, requiresShipping: true, taxable: true, unitPrice: variant.price, discount: '0.00', taxLines: [],
				}]
				: [],
			shippingLines: [{ id: newId(store), title: 'Standard', code: 'STANDARD', source: 'shopify', price: '5.00', discountedPrice: '5.00', taxLines: [] }],
			orderTaxLines: [], transactions: [], customAttributes: [], inventoryBehaviour: 'BYPASS', locationId: store.locations[0]?.id ?? null,
			fulfillmentOrders: [], fulfillments: [], refundedAmount: '0.00', refunds: [], test: false,
			discountCode: null, buyerAcceptsMarketing: false, receiptRequested: false, receiptSent: false, fulfillmentReceiptRequested: false,
			...partial,
		};
		if (partial.name === undefined && partial.orderNumber !== undefined) order.name = `#${partial.orderNumber}`;
		if (partial.transactions === undefined && order.displayFinancialStatus === 'PAID') {
			order.transactions.push({ id: newId(store), kind: 'SALE', status: 'SUCCESS', gateway: 'manual', amount: decimal(orderTotals(order).total), processedAt: order.processedAt });
		}
		if (partial.fulfillmentOrders === undefined) openFulfillmentOrder(store, order);
		store.orders.push(order);
		data.invalidate();
		return order;
	}

	function updateOrder(id: number | string, patch: Partial<SimOrder>): SimOrder {
		const order = findOrder(id);
		Object.assign(order, patch);
		if (patch.updatedAt === undefined) order.updatedAt = data.now();
		data.invalidate();
		return order;
	}

	function reset(): void {
		Object.assign(store, seed());
		data.invalidate();
		jobs.clear();
		ctx.idempotency.clear();
		costBucket.reset();
		restBucket.reset();
		bulk.reset();
	}

	const sim = await startSimulator(handler, {
		port: options.port,
		label: labelOf,
		isWrite: (request) => {
			if (GRAPHQL_PATH.test(request.path)) return operationOf(request)?.operation === 'mutation';
			return request.method !== 'GET' && request.method !== 'HEAD';
		},
		reset,
		inspect: (request) => {
			const what = request.path.slice('/__sim/'.length);
			if (what === 'state' && request.method === 'GET') return { status: 200, body: store };
			if (what === 'bulk' && request.method === 'GET') return { status: 200, body: bulk.list() };
			if (what === 'orders' && request.method === 'POST') return { status: 201, body: addOrder((request.json ?? {}) as Partial<SimOrder>) };
			const one = /^orders\/(.+)$/.exec(what);
			if (one && request.method === 'POST') {
				try {
					return { status: 200, body: updateOrder(decodeURIComponent(one[1]), (request.json ?? {}) as Partial<SimOrder>) };
				} catch (error) {
					return { status: 404, body: { error: (error as Error).message } };
				}
			}
			return undefined;
		},
	});
	baseUrl = sim.url;
	return Object.assign(sim, {
		store,
		accessToken,
		graphqlUrl: `${sim.url}/admin/api/${API_VERSION}/graphql.json`,
		addOrder,
		updateOrder,
		pointsSpent: () => pointsSpent,
		setRateLimit: (limits: { restoreRate: number; bucketSize: number }) => costBucket.configure(limits.bucketSize, limits.restoreRate),
	});
}

/** For callers that want Shopify-style timestamps in patches (whole seconds, 'Z'). */
export { isoSeconds } from './store';
