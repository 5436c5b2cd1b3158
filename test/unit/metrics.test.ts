// The denied-authentication metric the CDK alarms read: namespace, name and the `reason` dimension.
import { captureDeniedMetric } from '../support/metrics';

test('a denial is published at once as AuthenticationDenied with its reason', () => {
  expect(captureDeniedMetric('wrong_secret')).toMatchObject({
    _aws: { CloudWatchMetrics: [{ Namespace: 'ApiTokenService', Metrics: [{ Name: 'AuthenticationDenied', Unit: 'Count' }] }] },
    reason: 'wrong_secret',
    AuthenticationDenied: 1,
  });
});
