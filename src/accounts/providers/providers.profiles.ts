import { z } from 'zod';
import {
  cleanAvatarUrl,
  cleanEmail,
  cleanName,
  profileOf,
  ProviderRefusal,
  subjectSchema,
  type ProviderId,
  type ProviderProfile,
} from './provider.js';

/**
 * Readers of the providers' profile answers. Only the subject is required: a malformed optional
 * field is dropped (the app then asks the person), a missing or malformed subject refuses the
 * login, since without it there is no identity.
 */

/** Claims of an ID token or a userinfo answer; openid-client has already checked `sub`. */
export type Claims = Readonly<Record<string, unknown>>;

/** Name, e-mail and picture from OIDC claims; Kakao calls the name `nickname`. */
export function oidcFields(claims: Claims) {
  // An e-mail the provider has not verified says nothing about the person; Apple sends the
  // flag as the string "true".
  const verified = claims.email_verified === true || claims.email_verified === 'true';
  return {
    name: cleanName(claims.name) ?? cleanName(claims.nickname),
    email: verified ? cleanEmail(claims.email) : undefined,
    avatarUrl: cleanAvatarUrl(claims.picture),
  };
}

// A field we read if it is there and usable; zod 4 otherwise requires even an unknown key.
const optional = z.unknown().optional();

export type ProfileReader = (body: unknown) => ProviderProfile;

function reader<T>(
  id: ProviderId,
  schema: z.ZodType<T>,
  read: (data: T) => Parameters<typeof profileOf>,
): ProfileReader {
  return (body) => {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new ProviderRefusal('profile_invalid', `${id}: the profile has no usable subject`, {
        cause: parsed.error,
      });
    }
    return profileOf(...read(parsed.data));
  };
}

/** https://openapi.naver.com/v1/nid/me: `{ resultcode: '00', message, response: { id, … } }`. */
export const readNaverProfile = reader(
  'naver',
  z.object({
    resultcode: z.literal('00'),
    response: z.object({
      id: subjectSchema,
      nickname: optional,
      name: optional,
      email: optional,
      profile_image: optional,
    }),
  }),
  // The nickname is what a reader chose to be called; the legal name only when there is none.
  ({ response: r }) => [
    r.id,
    {
      name: cleanName(r.nickname) ?? cleanName(r.name),
      email: cleanEmail(r.email),
      avatarUrl: cleanAvatarUrl(r.profile_image),
    },
  ],
);

/** https://graph.facebook.com/me?fields=id,name,picture: `{ id, name, picture: { data: { url } } }`. */
export const readFacebookProfile = reader(
  'facebook',
  z.object({ id: subjectSchema, name: optional, picture: optional }),
  (r) => {
    const picture = z.object({ data: z.object({ url: z.string() }) }).safeParse(r.picture);
    return [
      r.id,
      {
        name: cleanName(r.name),
        email: undefined,
        avatarUrl: picture.success ? cleanAvatarUrl(picture.data.data.url) : undefined,
      },
    ];
  },
);

/** https://api.x.com/2/users/me: `{ data: { id, name, username, profile_image_url } }`. */
export const readXProfile = reader(
  'x',
  z.object({
    data: z.object({
      id: subjectSchema,
      name: optional,
      username: optional,
      profile_image_url: optional,
    }),
  }),
  ({ data: r }) => [
    r.id,
    {
      name: cleanName(r.name) ?? cleanName(r.username),
      email: undefined,
      avatarUrl: cleanAvatarUrl(r.profile_image_url),
    },
  ],
);
