/**
 * The Shopify Admin GraphQL schema the simulator executes and the tests validate against: the official
 * 2025-01 schema (the newest full SDL we have, from Shopify's own introspection) plus the few later
 * changes the pack relies on, written as a graphql-js `extendSchema` delta with each change's source.
 * Building the 2.5 MB SDL takes about half a second, so it is built once per process.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, extendSchema, parse } from 'graphql';
import type { GraphQLSchema } from 'graphql';

/** The official SDL lives next to the repository (see /work/shared/reference/README.md). */
export const OFFICIAL_SCHEMA_PATH = join(__dirname, '..', '..', '..', '..', 'shared', 'reference', 'shopify-admin-2025-01.graphql');

/**
 * Differences between 2025-01 and the version the pack sends (2026-04 and later) that our documents use.
 * extendSchema can only add, so fields removed since (compareQuantity, ignoreCompareQuantity) stay valid here;
 * the simulator enforces the 2026-04 rules at execution time instead.
 */
export const SCHEMA_EXTENSION_SDL = `
# Idempotency keys on mutations, optional from 2026-01 and mandatory from 2026-04 on inventory adjust/set
# and refund mutations: https://shopify.dev/docs/api/usage/idempotent-requests
# https://shopify.dev/changelog/adding-idempotency-for-inventory-adjustments-and-refund-mutations
directive @idempotent(key: String!) on FIELD

# Compare-and-set per quantity, replacing compareQuantity/ignoreCompareQuantity from 2026-04; must be present,
# null opts out of the check: https://shopify.dev/docs/api/admin-graphql/2026-04/mutations/inventorySetQuantities
extend input InventoryQuantityInput {
  changeFromQuantity: Int
}

# The same compare-and-swap on inventoryAdjustQuantities changes (optional in 2026-01, mandatory from 2026-04):
# https://shopify.dev/changelog/compare-and-swap-for-inventory-mutations-with-change-from-quantity
# https://shopify.dev/changelog/making-changefromquantity-field-required
extend input InventoryChangeInput {
  changeFromQuantity: Int
}

# New user error codes that come with the changes above:
# https://shopify.dev/docs/api/admin-graphql/latest/enums/InventorySetQuantitiesUserErrorCode
extend enum InventorySetQuantitiesUserErrorCode {
  CHANGE_FROM_QUANTITY_STALE
  IDEMPOTENCY_CONCURRENT_REQUEST
  IDEMPOTENCY_KEY_PARAMETER_MISMATCH
  IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED
}

# https://shopify.dev/docs/api/admin-graphql/2026-01/objects/InventoryAdjustQuantitiesUserError
extend enum InventoryAdjustQuantitiesUserErrorCode {
  CHANGE_FROM_QUANTITY_STALE
  IDEMPOTENCY_CONCURRENT_REQUEST
  IDEMPOTENCY_KEY_PARAMETER_MISMATCH
  IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED
}

# Polling one bulk operation by id, from 2026-01 (currentBulkOperation is deprecated there):
# https://shopify.dev/docs/api/admin-graphql/2026-01/queries/bulkOperation
extend type QueryRoot {
  bulkOperation(id: ID!): BulkOperation
}
`;

let cached: GraphQLSchema | undefined;

/** The official schema with the extension applied, built once per process. */
export function shopifySchema(): GraphQLSchema {
	if (!cached) {
		// assumeValid: Shopify's SDL has deprecations graphql-js would otherwise reject; it is Shopify's own.
		const official = buildSchema(readFileSync(OFFICIAL_SCHEMA_PATH, 'utf8'), { assumeValid: true });
		cached = extendSchema(official, parse(SCHEMA_EXTENSION_SDL), { assumeValid: true });
	}
	return cached;
}
