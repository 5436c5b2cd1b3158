// The API's shapes as the console sees them, inferred from the service's own zod schemas. `import type`
// only: the schemas describe the contract at compile time and no zod code reaches the bundle.
import type { z } from 'zod';
import type * as requests from '../../../shared/http/request-schemas';
import type * as responses from '../../../shared/http/response-schemas';

export type ApiToken = z.output<typeof responses.ApiTokenJson>;
export type CreatedApiToken = z.output<typeof responses.CreatedApiTokenJson>;
export type User = z.output<typeof responses.UserJson>;
export type AuditLogEntry = z.output<typeof responses.AuditLogJson>;
export type AuditAction = AuditLogEntry['action'];
export type Settings = z.output<typeof responses.SettingsJson>;
export type ApiTokenList = z.output<typeof responses.ApiTokenListJson>;
export type AuditLogList = z.output<typeof responses.AuditLogListJson>;
export type ErrorBody = z.output<typeof responses.ErrorJson>;
export type RecordInvalidBody = z.output<typeof responses.RecordInvalidJson>;

export type CreateApiTokenRequest = z.input<typeof requests.CreateApiTokenBody>;
export type UpdateApiTokenRequest = z.input<typeof requests.UpdateApiTokenBody>;
export type RotateApiTokenRequest = z.input<typeof requests.RotateApiTokenBody>;
export type UpdateSettingsRequest = z.input<typeof requests.UpdateAccountSettingsBody>;
