// The OAuth2 authorization-code flow GitHub, Gitea and GitLab share: the authorization page, the code
// exchange and the refresh, each a form POST to the provider's token endpoint answered in JSON. A provider
// that answers 200 with an `error` field (GitHub does) has refused the code.

import { UnauthorizedError } from '../../core/errors.js';
import type { OAuthLogin, Token } from '../../core/scm.js';
import { ApiClient } from './api-client.js';
import { num, text } from './json.js';

export interface OAuth2Settings {
  provider: string;
  authorizeUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string[];
  /** GitHub's web flow uses the OAuth app's registered callback: no redirect_uri is sent. */
  sendRedirectUri: boolean;
  skipVerify: boolean;
  timeoutMs: number;
}

export class OAuth2Client implements OAuthLogin {
  readonly kind = 'oauth2';
  private readonly http: ApiClient;

  constructor(private readonly settings: OAuth2Settings) {
    this.http = new ApiClient({ provider: settings.provider, baseUrl: settings.tokenUrl, authorize: () => ({}), skipVerify: settings.skipVerify, timeoutMs: settings.timeoutMs });
  }

  authorizeUrl(state: string, redirectUri: string): string {
    const url = new URL(this.settings.authorizeUrl);
    url.searchParams.set('client_id', this.settings.clientId);
    url.searchParams.set('response_type', 'code');
    if (this.settings.scope.length > 0) url.searchParams.set('scope', this.settings.scope.join(' '));
    url.searchParams.set('state', state);
    if (this.settings.sendRedirectUri) url.searchParams.set('redirect_uri', redirectUri);
    return url.toString();
  }

  exchange(code: string, redirectUri: string): Promise<Token> {
    const form = new URLSearchParams({ grant_type: 'authorization_code', code, client_id: this.settings.clientId, client_secret: this.settings.clientSecret });
    if (this.settings.sendRedirectUri) form.set('redirect_uri', redirectUri);
    return this.token(form);
  }

  refresh(token: Token): Promise<Token> {
    return this.token(new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token.refresh, client_id: this.settings.clientId, client_secret: this.settings.clientSecret }));
  }

  private async token(form: URLSearchParams): Promise<Token> {
    const answer = await this.http.call('POST', this.settings.tokenUrl, { body: form }, [400, 401]);
    const error = text(answer.json, 'error');
    const access = text(answer.json, 'access_token');
    if (answer.status !== 200 || error || !access) {
      throw new UnauthorizedError(`${this.settings.provider} refused the login: ${text(answer.json, 'error_description') || error || `status ${answer.status}`}`);
    }
    const expiresIn = num(answer.json, 'expires_in');
    return { access, refresh: text(answer.json, 'refresh_token'), expiry: expiresIn > 0 ? Math.floor(Date.now() / 1000) + expiresIn : 0 };
  }
}
