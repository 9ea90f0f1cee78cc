import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

export class CommerceSyncWooCommerceApi implements ICredentialType {
	name = 'commerceSyncWooCommerceApi';

	displayName = 'Commerce Sync WooCommerce REST API';

	icon = 'file:woocommerce.svg' as const;

	documentationUrl = 'https://woocommerce.github.io/woocommerce-rest-api-docs/#authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Site URL',
			name: 'siteUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://shop.example.com',
			description: 'The address of the WordPress site running WooCommerce (permalinks must not be "Plain")',
		},
		{
			displayName: 'Consumer Key',
			name: 'consumerKey',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'ck_…',
		},
		{
			displayName: 'Consumer Secret',
			name: 'consumerSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Send Keys As',
			name: 'keysIn',
			type: 'options',
			options: [
				{ name: 'HTTP Basic Authentication', value: 'basic', description: 'Recommended over HTTPS' },
				{
					name: 'Query String',
					value: 'query',
					description: 'For servers that strip the Authorization header',
				},
			],
			default: 'basic',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const key = String(credentials.consumerKey);
		const secret = String(credentials.consumerSecret);
		if (credentials.keysIn === 'query') {
			return { ...requestOptions, qs: { ...(requestOptions.qs ?? {}), consumer_key: key, consumer_secret: secret } };
		}
		return { ...requestOptions, auth: { username: key, password: secret } };
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: "={{ $credentials.siteUrl.trim().replace(/\\/+$/, '') }}/wp-json/wc/v3",
			url: '/orders',
			qs: { per_page: 1 },
			method: 'GET',
		},
	};
}
