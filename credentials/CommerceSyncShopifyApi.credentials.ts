import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';
import { SHOPIFY_API_VERSION } from '../platforms/shopify/version';

/** Same rule as shopifyAdminUrl() in platforms/shopify/version.ts, as an n8n expression. */
const ADMIN_URL =
	"={{ ($credentials.store.trim().match(/^https?:\\/\\//i) ? $credentials.store.trim().replace(/\\/+$/, '') : 'https://' + ($credentials.store.trim().includes('.') ? $credentials.store.trim().replace(/\\/+$/, '') : $credentials.store.trim() + '.myshopify.com')) + '/admin/api/' + $credentials.apiVersion }}";

export class CommerceSyncShopifyApi implements ICredentialType {
	name = 'commerceSyncShopifyApi';

	displayName = 'Commerce Sync Shopify Admin API';

	icon = 'file:shopify.svg' as const;

	documentationUrl = 'https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/generate-app-access-tokens-admin';

	properties: INodeProperties[] = [
		{
			displayName: 'Store',
			name: 'store',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'my-shop or my-shop.myshopify.com',
			description:
				'Your store\'s myshopify.com name (my-shop), its domain (my-shop.myshopify.com), or a full base URL such as http://127.0.0.1:8081 for a proxy or the built-in simulator',
		},
		{
			displayName: 'Admin API Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The shpat_… token of a custom app with the read/write scopes for orders, products, inventory and fulfillments',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: SHOPIFY_API_VERSION,
			description: 'Admin API version to call. Leave the default unless Shopify support asks otherwise.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { 'X-Shopify-Access-Token': '={{$credentials.accessToken}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: ADMIN_URL,
			url: '/graphql.json',
			method: 'POST',
			body: { query: '{ shop { name } }' },
			json: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'errors', value: undefined, message: 'Shopify refused the access token or the query' },
			},
		],
	};
}
