// The happy flow every OIDC module starts from.
import { authorizationRequest, expectAuthorizationSuccess, type AuthorizationOptions, type AuthorizationRequest } from "./authorization.ts";
import { expectValidIdToken, type CheckedIdToken } from "./id-token.ts";
import type { Op, StaticClient } from "./op.ts";
import { exchangeCode, expectTokenResponse, type ClientAuth, type TokenResponse } from "./token.ts";
import { UserAgent } from "./user-agent.ts";

export interface CompletedFlow {
  request: AuthorizationRequest;
  code: string;
  tokens: TokenResponse;
  idToken: CheckedIdToken;
}

/**
 * The whole happy flow of AbstractOIDCCServerTest: authorize, sign in (through `agent`, a fresh
 * one unless given), check the authorization response, exchange the code, check the token
 * response and the id_token.
 */
export async function completeFlow(op: Op, options: AuthorizationOptions & { agent?: UserAgent; client?: StaticClient; auth?: ClientAuth } = {}): Promise<CompletedFlow> {
  const client = options.client ?? op.client;
  const request = authorizationRequest(op, { clientId: client.clientId, ...options });
  const agent = options.agent ?? new UserAgent(op);
  const callback = await agent.authorize(request);
  const code = expectAuthorizationSuccess(op, callback, request);
  const tokens = await expectTokenResponse(await exchangeCode(op, code, request, client, options.auth));
  const idToken = await expectValidIdToken(op, tokens.id_token!, { clientId: client.clientId, nonce: request.nonce, accessToken: tokens.access_token });
  return { request, code, tokens, idToken };
}
