// The OAuth2 authorization-code flow GitHub, Gitea and GitLab share: the authorization page, the code
// exchange and the refresh, each a form POST to the provider's token endpoint answered in JSON. A provider
// that answers 200 with an `error` field (GitHub does) has refused the code. The redirect URI sent is the one
// registered with the application when the provider checks it (Gitea, GitLab), none where the provider uses
// the registered callback anyway (GitHub). A refresh answered without a new refresh token keeps the old one
// (RFC 6749 §6).

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
  /**
   * `registered`: this URI (DRONE_*_REDIRECT_URL), or the server's /login when empty; `none`: no redirect_uri
   * (GitHub's web flow uses the OAuth app's registered callback).
   */
  redirect: { kind: 'registered'; uri: string } | { kind: 'none' };
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
    const uri = this.redirectUri(redirectUri);
    if (uri) url.searchParams.set('redirect_uri', uri);
    return url.toString();
  }

  exchange(code: string, redirectUri: string): Promise<Token> {
    const form = new URLSearchParams({ grant_type: 'authorization_code', code, client_id: this.settings.clientId, client_secret: this.settings.clientSecret });
    const uri = this.redirectUri(redirectUri);
    if (uri) form.set('redirect_uri', uri);
    return this.token(form);
  }

  async refresh(token: Token): Promise<Token> {
    const fresh = await this.token(new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token.refresh, client_id: this.settings.clientId, client_secret: this.settings.clientSecret }));
    return { ...fresh, refresh: fresh.refresh || token.refresh };
  }

  /** The redirect URI to send, '' for none; `server` is the server's own /login. */
  private redirectUri(server: string): string {
    const { redirect } = this.settings;
    return redirect.kind === 'none' ? '' : redirect.uri || server;
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
