import 'reflect-metadata';
import { loadConfig, runApp, runMain } from '@millrace/server-kit';
import { AppModule } from './app.module';
import { GatewayConfig } from './config/api-gateway.config';
import { gatewayHttpSetup } from './gateway-http.setup';

runMain('api-gateway', async () => {
  const config = loadConfig(GatewayConfig);
  await runApp(AppModule.forRoot(config), { port: config.PORT, shutdownGraceS: config.SHUTDOWN_GRACE_S, beforeBodyParsers: gatewayHttpSetup(config) });
});
