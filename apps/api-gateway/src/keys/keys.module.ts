import { Global, Module } from '@nestjs/common';
import { KeyStore } from './key-store';

/** One key pair per process, shared by whatever signs (service tokens now, agent tokens later). */
@Global()
@Module({ providers: [KeyStore], exports: [KeyStore] })
export class KeysModule {}
