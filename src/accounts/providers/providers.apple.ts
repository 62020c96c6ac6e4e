import { createPrivateKey, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { ConfigError } from '../../config.js';

/**
 * Sign in with Apple has no static client secret: each token request carries a JWT we sign with
 * the team's key (https://developer.apple.com/documentation/accountorganizationaldatasharing/creating-a-client-secret).
 */

export type AppleCredentials = Readonly<{
  clientId: string;
  teamId: string;
  keyId: string;
  privateKey: string;
}>;

export const APPLE_ISSUER = 'https://appleid.apple.com';
/** Apple allows up to six months; one token request needs seconds, so a leaked secret dies fast. */
const CLIENT_SECRET_LIFETIME_SECONDS = 5 * 60;

/**
 * Reads the key once, at start-up, so a wrong BYLINE_APPLE_PRIVATE_KEY stops the process instead
 * of failing the first reader who presses the button. Apple keys are P-256 (ES256) in PKCS#8.
 */
function readTeamKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new ConfigError('BYLINE_APPLE_PRIVATE_KEY: not a PEM private key', { cause: error });
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new ConfigError('BYLINE_APPLE_PRIVATE_KEY: not a P-256 (ES256) key');
  }
  return key;
}

/** Returns a function making a fresh client secret: iss = team, sub = client id, aud = Apple. */
export function appleClientSecrets(
  apple: AppleCredentials,
  clock: () => Date,
): () => Promise<string> {
  const key = readTeamKey(apple.privateKey);
  return () => {
    const now = Math.floor(clock().getTime() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: apple.keyId })
      .setIssuer(apple.teamId)
      .setSubject(apple.clientId)
      .setAudience(APPLE_ISSUER)
      .setIssuedAt(now)
      .setExpirationTime(now + CLIENT_SECRET_LIFETIME_SECONDS)
      .sign(key);
  };
}
