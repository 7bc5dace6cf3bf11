/** CDK entry point (`cdk.json` → `node infra/app.ts`). */
import { App } from 'aws-cdk-lib';
import { buildApp } from './main.ts';

const app = new App();
buildApp(app);
app.synth();
