import { Plus, Trash2 } from 'lucide-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';

import {
  FIELDS,
  FIELD_TYPES,
  newCondition,
  newGroup,
  operatorsFor,
  shapeOf,
  updateItem,
  withField,
  withOperator,
  type ConditionDraft,
  type GroupDraft,
} from '@/lib/segment-rules.ts';
import styles from './rule-builder.module.css';

export interface RuleBuilderProps {
  rules: GroupDraft;
  onChange: (rules: GroupDraft) => void;
  /** The database's refusal, shown at the condition it names (by draft id). */
  error?: { id: string; message: string };
  readOnly?: boolean;
}

/** AND / OR groups of conditions over the database's whitelist of fields and operators. */
export function RuleBuilder({ rules, onChange, error, readOnly = false }: RuleBuilderProps) {
  return (
    <GroupEditor
      group={rules}
      depth={1}
      error={error}
      readOnly={readOnly}
      onChange={(changed) => onChange(changed as GroupDraft)}
      onItemChange={(id, change) => onChange(updateItem(rules, id, change))}
    />
  );
}

interface GroupEditorProps {
  group: GroupDraft;
  depth: number;
  error?: RuleBuilderProps['error'];
  readOnly: boolean;
  onChange: (group: GroupDraft) => void;
  onItemChange: (id: string, change: (item: ConditionDraft | GroupDraft) => ConditionDraft | GroupDraft | null) => void;
  onRemove?: () => void;
}

function GroupEditor({ group, depth, error, readOnly, onChange, onItemChange, onRemove }: GroupEditorProps) {
  const { t } = useTranslation('segments');
  const matchId = useId();
  return (
    <fieldset className={styles.group} disabled={readOnly}>
      <legend className={styles.groupLegend}>
        <label htmlFor={matchId}>{depth === 1 ? t('builder.matchRoot') : t('builder.matchGroup')}</label>
        <select
          id={matchId}
          value={group.match}
          onChange={(event) => onChange({ ...group, match: event.currentTarget.value === 'any' ? 'any' : 'all' })}
        >
          <option value="all">{t('builder.all')}</option>
          <option value="any">{t('builder.any')}</option>
        </select>
      </legend>
      {error?.id === group.id ? (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      ) : null}
      {group.items.length === 0 ? <p className={styles.hint}>{t('builder.emptyGroup')}</p> : null}
      <ol className={styles.items}>
        {group.items.map((item, index) => (
          <li key={item.id}>
            {item.kind === 'group' ? (
              <GroupEditor
                group={item}
                depth={depth + 1}
                error={error}
                readOnly={readOnly}
                onChange={(changed) => onItemChange(item.id, () => changed)}
                onItemChange={onItemChange}
                onRemove={() => onItemChange(item.id, () => null)}
              />
            ) : (
              <ConditionEditor
                condition={item}
                position={index + 1}
                error={error?.id === item.id ? error.message : undefined}
                onChange={(changed) => onItemChange(item.id, () => changed)}
                onRemove={() => onItemChange(item.id, () => null)}
              />
            )}
          </li>
        ))}
      </ol>
      {readOnly ? null : (
        <div className={styles.groupActions}>
          <Button variant="secondary" onClick={() => onChange({ ...group, items: [...group.items, newCondition()] })}>
            <Plus aria-hidden="true" size={16} />
            {t('builder.addCondition')}
          </Button>
          {depth < 3 ? (
            <Button
              variant="secondary"
              onClick={() =>
                onChange({
                  ...group,
                  items: [...group.items, newGroup(group.match === 'all' ? 'any' : 'all', [newCondition()])],
                })
              }
            >
              <Plus aria-hidden="true" size={16} />
              {t('builder.addGroup')}
            </Button>
          ) : null}
          {onRemove ? (
            <Button variant="secondary" onClick={onRemove}>
              <Trash2 aria-hidden="true" size={16} />
              {t('builder.removeGroup')}
            </Button>
          ) : null}
        </div>
      )}
    </fieldset>
  );
}

interface ConditionEditorProps {
  condition: ConditionDraft;
  position: number;
  error?: string;
  onChange: (condition: ConditionDraft) => void;
  onRemove: () => void;
}

function ConditionEditor({ condition, position, error, onChange, onRemove }: ConditionEditorProps) {
  const { t } = useTranslation('segments');
  const id = useId();
  const errorId = `${id}-error`;
  const shape = shapeOf(condition.field, condition.op);
  const type = FIELD_TYPES[condition.field];
  const fieldName = t(`fields.${condition.field}`);
  const invalid = error ? true : undefined;
  const described = error ? errorId : undefined;
  const setValue = (index: 0 | 1) => (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    const value: [string, string] = [...condition.value];
    value[index] = event.currentTarget.value;
    onChange({ ...condition, value });
  };
  const inputType =
    shape === 'date' || shape === 'dates' ? 'date' : shape === 'texts' || shape === 'text' ? 'text' : 'number';

  return (
    <div
      className={styles.condition}
      role="group"
      aria-label={t('builder.conditionLabel', { position, field: fieldName })}
    >
      <div className="field">
        <label htmlFor={`${id}-field`}>{t('builder.field')}</label>
        <select
          id={`${id}-field`}
          value={condition.field}
          onChange={(event) => onChange(withField(condition, event.currentTarget.value as ConditionDraft['field']))}
        >
          {FIELDS.map((field) => (
            <option key={field} value={field}>
              {t(`fields.${field}`)}
            </option>
          ))}
        </select>
      </div>
      {type === 'custom' ? (
        <div className="field">
          <label htmlFor={`${id}-key`}>{t('builder.customKey')}</label>
          <input
            id={`${id}-key`}
            value={condition.key}
            maxLength={40}
            onChange={(event) => onChange({ ...condition, key: event.currentTarget.value })}
          />
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-op`}>{t('builder.operator')}</label>
        <select
          id={`${id}-op`}
          value={condition.op}
          onChange={(event) => onChange(withOperator(condition, event.currentTarget.value))}
        >
          {operatorsFor(condition.field).map((op) => (
            <option key={op} value={op}>
              {t(`operators.${op}`)}
            </option>
          ))}
        </select>
      </div>
      {shape === 'boolean' ? (
        <div className="field">
          <label htmlFor={`${id}-value`}>{t('builder.value')}</label>
          <select
            id={`${id}-value`}
            value={condition.value[0]}
            aria-invalid={invalid}
            aria-describedby={described}
            onChange={setValue(0)}
          >
            <option value="true">{t('builder.yes')}</option>
            <option value="false">{t('builder.no')}</option>
          </select>
        </div>
      ) : shape === 'none' ? null : (
        <div className="field">
          <label htmlFor={`${id}-value`}>
            {shape === 'numbers' || shape === 'dates'
              ? t('builder.from')
              : shape === 'texts'
                ? t('builder.values')
                : shape === 'days'
                  ? t('builder.days')
                  : t('builder.value')}
          </label>
          <input
            id={`${id}-value`}
            type={inputType}
            value={condition.value[0]}
            aria-invalid={invalid}
            aria-describedby={described}
            onChange={setValue(0)}
          />
        </div>
      )}
      {shape === 'numbers' || shape === 'dates' ? (
        <div className="field">
          <label htmlFor={`${id}-to`}>{t('builder.to')}</label>
          <input
            id={`${id}-to`}
            type={inputType}
            value={condition.value[1]}
            aria-invalid={invalid}
            aria-describedby={described}
            onChange={setValue(1)}
          />
        </div>
      ) : null}
      {type === 'purchase' ? (
        <div className="field">
          <label htmlFor={`${id}-days`}>{t('builder.withinDays')}</label>
          <input
            id={`${id}-days`}
            type="number"
            min={1}
            value={condition.days}
            onChange={(event) => onChange({ ...condition, days: event.currentTarget.value })}
          />
        </div>
      ) : null}
      <Button variant="secondary" className={styles.remove} onClick={onRemove}>
        <Trash2 aria-hidden="true" size={16} />
        <span className="visually-hidden">{t('builder.removeCondition', { position })}</span>
      </Button>
      {error ? (
        <p id={errorId} className={`field-error ${styles.conditionError}`} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
