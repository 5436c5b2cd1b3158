// Request body schemas (zod, strict: unknown fields are rejected). Field rules such as the description's
// length live in the domain, so that the API and tokenctl apply the same ones.
import { z } from 'zod';

export const CreateApiTokenBody = z.strictObject({
  api_token: z.strictObject({ description: z.string().nullable().optional() }).optional(),
});

export const UpdateApiTokenBody = z.strictObject({
  api_token: z.strictObject({
    description: z.string().nullable().optional(),
    active: z.boolean().optional(),
  }),
});

export const UpdateAccountSettingsBody = z.strictObject({
  settings: z.strictObject({ api: z.strictObject({ api_token_access: z.boolean() }) }),
});
