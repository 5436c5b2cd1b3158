// What the token and account services share: the store they change, the clock, and the audit retention
// given once when the services are built (shared/runtime/services.ts), not per call.
import { changeContextAt, clockOf, type ChangeContext, type OperationContext, type ServiceOptions } from './audit-entries';
import type { TokenStore } from './store';

export abstract class ChangingService {
  protected readonly clock: () => Date;

  constructor(
    protected readonly store: TokenStore,
    private readonly options: ServiceOptions = {},
  ) {
    this.clock = clockOf(options);
  }

  /** The context of one change made by the caller at `now`. */
  protected at(context: OperationContext, now: Date): ChangeContext {
    return changeContextAt(context, now, this.options);
  }
}
