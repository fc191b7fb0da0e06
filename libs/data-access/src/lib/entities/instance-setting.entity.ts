import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('instance_setting')
export class InstanceSetting {
  @PrimaryColumn('text')
  key!: string;

  @Column('jsonb')
  value!: unknown;

  @Column({ type: 'timestamptz', name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}
