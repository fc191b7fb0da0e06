import { InstanceSetting } from './instance-setting.entity';

export { InstanceSetting };

/** Every TypeORM entity, for the data source. */
export const ENTITIES = [InstanceSetting];
