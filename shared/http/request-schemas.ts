// Request body schemas (zod/mini, strict: unknown fields are rejected). zod/mini keeps the write routes'
// bundles small; its English messages are loaded so that a 400 says what is wrong. Field rules such as the
// description's length live in the domain, so that the API and tokenctl apply the same ones.
import * as z from 'zod/mini';
// Only the English messages: the `z.locales` namespace would bundle every language.
import en from 'zod/v4/locales/en.cjs';

z.config(en());

export const CreateApiTokenBody = z.strictObject({
  api_token: z.optional(z.strictObject({ description: z.optional(z.nullable(z.string())) })),
});

export const UpdateApiTokenBody = z.strictObject({
  api_token: z.strictObject({
    description: z.optional(z.nullable(z.string())),
    active: z.optional(z.boolean()),
  }),
});

export const UpdateAccountSettingsBody = z.strictObject({
  settings: z.strictObject({ api: z.strictObject({ api_token_access: z.boolean() }) }),
});
