import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * eBay Sell APIs with an OAuth2 user token (authorization code grant). The authorization, token and API
 * addresses follow the environment, as hidden fields computed from it (the way n8n's own OAuth2
 * credentials do it), so production, sandbox and a custom address (a proxy or the pack's simulator) never
 * mix. In the eBay developer portal, set the RuName's "auth accepted URL" to n8n's OAuth callback URL.
 */
/** The API root for the environment, as an expression over `$self` (hidden fields) or `$credentials` (the test). */
const apiRoot = (of: '$self' | '$credentials') =>
	`(${of}.environment === 'sandbox' ? 'https://api.sandbox.ebay.com' : ${of}.environment === 'custom' ? String(${of}.customBaseUrl).trim().replace(/\\/+$/, '') : 'https://api.ebay.com')`;

export class CommerceSyncEbayOAuth2Api implements ICredentialType {
	name = 'commerceSyncEbayOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Commerce Sync eBay OAuth2 API';

	icon = 'file:ebay.svg' as const;

	documentationUrl = 'https://developer.ebay.com/api-docs/static/oauth-authorization-code-grant.html';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production' },
				{ name: 'Sandbox', value: 'sandbox' },
				{ name: 'Custom Base URL', value: 'custom', description: 'A proxy or the built-in simulator' },
			],
			default: 'production',
		},
		{
			displayName: 'Base URL',
			name: 'customBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8083',
			description: 'Where the eBay API (and its /identity/v1/oauth2/token endpoint) answers',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Seller Name',
			name: 'sellerName',
			type: 'string',
			default: '',
			description: 'Your eBay user ID. It tells orders of two eBay accounts apart; leave empty when you sync one account per environment.',
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default:
				"={{ $self.environment === 'sandbox' ? 'https://auth.sandbox.ebay.com/oauth2/authorize' : $self.environment === 'custom' ? String($self.customBaseUrl).trim().replace(/\\/+$/, '') + '/oauth2/authorize' : 'https://auth.ebay.com/oauth2/authorize' }}",
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ ${apiRoot('$self')} + '/identity/v1/oauth2/token' }}`,
			required: true,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default:
				'https://api.ebay.com/oauth/api_scope https://api.ebay.com/oauth/api_scope/sell.fulfillment https://api.ebay.com/oauth/api_scope/sell.inventory',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			// eBay's token endpoint wants the client id and secret as HTTP Basic credentials.
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'header',
		},
	];

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ ${apiRoot('$credentials')} }}`,
			url: '/sell/fulfillment/v1/order',
			qs: { limit: 1 },
			method: 'GET',
		},
	};
}
