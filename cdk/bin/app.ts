// CDK app entry (cdk.json: `npx tsx cdk/bin/app.ts`).
import { App } from 'aws-cdk-lib';
import { defineApp } from '../service-app';

defineApp(new App());
