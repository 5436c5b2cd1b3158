// Settings: "API token access", the account's kill switch. Turning it off is confirmed first, since every
// token of the account stops working at once, the one this console uses included; the console then shows
// that it is signed out because access is off. Turning it back on is an operator action. Below it, the
// inactivity policy the hourly sweep applies, as set through the API or by operators (shown, not edited here).
import { useEffect, useState } from 'preact/hooks';
import type { Settings } from '../api/types';
import { useSession } from '../app-context';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorNotice } from '../components/ErrorNotice';

const daysOrOff = (days: number | undefined) => (days === undefined ? 'Off' : `${days} ${days === 1 ? 'day' : 'days'}`);

/** The inactivity policy: what the hourly sweep does to the account's tokens. */
function InactivityPolicy({ api }: { api: Settings['settings']['api'] }) {
  return (
    <>
      <h3>Inactivity policy</h3>
      <dl class="details">
        <div>
          <dt>Deactivate tokens unused for</dt>
          <dd>{daysOrOff(api.api_token_inactivity_days)}</dd>
        </div>
        <div>
          <dt>Delete deactivated tokens after</dt>
          <dd>{daysOrOff(api.api_token_deactivated_retention_days)}</dd>
        </div>
      </dl>
      <p class="field-hint">
        Applied every hour. Set with api_token_inactivity_days and api_token_deactivated_retention_days in the account settings API.
      </p>
    </>
  );
}

export function SettingsPage() {
  const { session, signOut } = useSession();
  const [settings, setSettings] = useState<Settings | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [attempt, setAttempt] = useState(0);
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    let current = true;
    setError(undefined);
    session.client.settings().then(
      (loaded) => current && setSettings(loaded),
      (failure: unknown) => current && setError(failure),
    );
    return () => {
      current = false;
    };
  }, [session, attempt]);

  const access = settings?.settings.api.api_token_access;
  const turnOff = async () => {
    await session.client.updateSettings(false);
    signOut('access-off');
  };

  return (
    <>
      <h1 id="page-heading" tabIndex={-1}>
        Settings
      </h1>
      {error !== undefined && <ErrorNotice error={error} onRetry={() => setAttempt((n) => n + 1)} />}
      {settings === undefined && error === undefined && (
        <p class="loading" role="status">
          Loading settings…
        </p>
      )}
      {access !== undefined && (
        <section class="settings-section" aria-labelledby="api-settings">
          <h2 id="api-settings">API</h2>
          <div class="check-field">
            <input
              id="api-token-access"
              type="checkbox"
              class="checkbox"
              checked={access && !confirming}
              disabled={!access}
              aria-describedby="api-token-access-hint"
              onChange={(event) => {
                if (!event.currentTarget.checked) setConfirming(true);
              }}
            />
            <label for="api-token-access">API token access</label>
          </div>
          <p id="api-token-access-hint" class="field-hint">
            {access
              ? 'On: the account\'s active API tokens can call the API. Turning it off stops every token of the account at once.'
              : 'Off: no API token of the account can authenticate. Only the service\'s operators can turn it back on.'}
          </p>
          {settings && <InactivityPolicy api={settings.settings.api} />}
        </section>
      )}
      {confirming && (
        <ConfirmDialog title="Turn off API token access" confirmLabel="Turn off" danger onConfirm={turnOff} onClose={() => setConfirming(false)}>
          <p>
            Every API token of this account, including the one you are signed in with, stops working at once. The console will sign you out.
          </p>
          <p>Only the service's operators can turn access back on.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
