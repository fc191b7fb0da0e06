import { Module } from '@nestjs/common';
import { ScriptAnalyzer } from './script-analyzer';
import { ScriptsController } from './scripts.controller';
import { ScriptsRepository } from './scripts.repository';
import { ScriptsService } from './scripts.service';

@Module({
  controllers: [ScriptsController],
  providers: [ScriptAnalyzer, ScriptsRepository, ScriptsService],
  exports: [ScriptAnalyzer, ScriptsService],
})
export class ScriptsModule {}
