import { useEffect, useId, useState } from 'react';

import { knownBrands, styleInterests, type StyleInterest } from '../api/portal.ts';
import { useI18n } from '../i18n.tsx';
import styles from '../portal.module.css';

/** Style interests as toggle chips (the ones an admin offers), and favourite brands with autocomplete. */
export function StyleChoices({
  interests,
  brands,
  onInterests,
  onBrands,
}: {
  interests: string[];
  brands: string[];
  onInterests: (keys: string[]) => void;
  onBrands: (brands: string[]) => void;
}) {
  const { t, language } = useI18n();
  const [offered, setOffered] = useState<StyleInterest[] | null>(null);
  const [query, setQuery] = useState('');
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const brandId = useId();

  useEffect(() => {
    styleInterests().then(setOffered, () => setOffered([]));
  }, []);

  useEffect(() => {
    const prefix = query.trim();
    if (!prefix) return;
    const timer = setTimeout(() => {
      knownBrands(prefix).then(
        (found) => setSuggestions(found.filter((brand) => !brands.includes(brand))),
        () => setSuggestions([]),
      );
    }, 150);
    return () => clearTimeout(timer);
  }, [query, brands]);

  const addBrand = (brand: string) => {
    const clean = brand.trim();
    if (clean && !brands.includes(clean) && brands.length < 50) onBrands([...brands, clean]);
    setQuery('');
    setSuggestions([]);
  };

  return (
    <>
      <fieldset className={styles.fieldset}>
        <legend className={styles.legend}>{t('style.interests')}</legend>
        <div className={styles.chips}>
          {(offered ?? []).map((interest) => {
            const on = interests.includes(interest.key);
            return (
              <button
                key={interest.key}
                type="button"
                className={styles.chip}
                aria-pressed={on}
                onClick={() =>
                  onInterests(on ? interests.filter((key) => key !== interest.key) : [...interests, interest.key])
                }
              >
                {interest.labels[language] ?? interest.labels.en ?? interest.key}
              </button>
            );
          })}
        </div>
      </fieldset>
      <div className={styles.field}>
        <label htmlFor={brandId}>{t('style.brands')}</label>
        <input
          id={brandId}
          value={query}
          autoComplete="off"
          aria-describedby={`${brandId}-hint`}
          onChange={(event) => {
            setQuery(event.target.value);
            if (!event.target.value.trim()) setSuggestions([]);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              addBrand(query);
            }
          }}
        />
        <p id={`${brandId}-hint`} className={styles.hint}>
          {t('style.brandsHint')}
        </p>
        {query.trim() && suggestions.length > 0 ? (
          <ul className={styles.suggestions} aria-label={t('style.suggestions')}>
            {suggestions.map((brand) => (
              <li key={brand}>
                <button type="button" onClick={() => addBrand(brand)}>
                  {brand}
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        {brands.length > 0 ? (
          <ul className={styles.chips} aria-label={t('style.chosenBrands')} style={{ listStyle: 'none', padding: 0 }}>
            {brands.map((brand) => (
              <li key={brand}>
                <button
                  type="button"
                  className={styles.chip}
                  aria-label={t('style.removeBrand', { brand })}
                  onClick={() => onBrands(brands.filter((other) => other !== brand))}
                >
                  {brand} <span aria-hidden="true">×</span>
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </>
  );
}
