import { useEffect, useId, useState } from 'react';

import {
  CATALOGUE_PAGE,
  catalogue,
  knownBrands,
  styleInterests,
  type CatalogueItem,
  type StyleInterest,
} from '../api/portal.ts';
import { HeartButton } from '../components/heart-button.tsx';
import { useI18n } from '../i18n.tsx';
import { money } from '../format.ts';
import { useSession } from '../session.ts';
import styles from '../portal.module.css';

/** The catalogue browse: search, brand and style filters, a heart on every card. */
export function CataloguePage() {
  const { t, language } = useI18n();
  const id = useId();
  const { ready, customerId } = useSession();
  const [search, setSearch] = useState('');
  const [brand, setBrand] = useState('');
  const [style, setStyle] = useState('');
  const [brands, setBrands] = useState<string[]>([]);
  const [styleOptions, setStyleOptions] = useState<StyleInterest[]>([]);
  const [items, setItems] = useState<CatalogueItem[] | null>(null);
  const [more, setMore] = useState(false);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    knownBrands('').then(setBrands, () => setBrands([]));
    styleInterests().then(setStyleOptions, () => setStyleOptions([]));
  }, []);

  useEffect(() => {
    if (!ready) return;
    const timer = setTimeout(() => {
      setFailed(false);
      catalogue({ search, brand, style }).then(
        (page) => {
          setItems(page);
          setMore(page.length === CATALOGUE_PAGE);
        },
        () => setFailed(true),
      );
    }, 200);
    return () => clearTimeout(timer);
    // customerId: the hearts are the shopper's once the account is linked.
  }, [ready, customerId, search, brand, style]);

  const loadMore = () => {
    catalogue({ search, brand, style, offset: items?.length ?? 0 }).then(
      (page) => {
        setItems((current) => [...(current ?? []), ...page]);
        setMore(page.length === CATALOGUE_PAGE);
      },
      () => setFailed(true),
    );
  };

  return (
    <section className={styles.page} aria-labelledby={`${id}-h`}>
      <h1 id={`${id}-h`}>{t('catalogue.title')}</h1>
      <div className={styles.filters} role="search">
        <div className={styles.field}>
          <label htmlFor={`${id}-q`}>{t('catalogue.search')}</label>
          <input id={`${id}-q`} type="search" value={search} onChange={(event) => setSearch(event.target.value)} />
        </div>
        <div className={styles.field}>
          <label htmlFor={`${id}-brand`}>{t('catalogue.brand')}</label>
          <select id={`${id}-brand`} value={brand} onChange={(event) => setBrand(event.target.value)}>
            <option value="">{t('catalogue.all')}</option>
            {brands.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div className={styles.field}>
          <label htmlFor={`${id}-style`}>{t('catalogue.style')}</label>
          <select id={`${id}-style`} value={style} onChange={(event) => setStyle(event.target.value)}>
            <option value="">{t('catalogue.all')}</option>
            {styleOptions.map((option) => (
              <option key={option.key} value={option.key}>
                {option.labels[language] ?? option.labels.en ?? option.key}
              </option>
            ))}
          </select>
        </div>
      </div>
      {failed ? (
        <p className={styles.error} role="alert">
          {t('errors.loadFailed')}
        </p>
      ) : items === null ? (
        <p role="status">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p role="status">{t('catalogue.empty')}</p>
      ) : (
        <>
          <p role="status" className={styles.visuallyHidden}>
            {t('catalogue.count', { count: items.length })}
          </p>
          <ul className={styles.grid}>
            {items.map((item) => (
              <li key={item.product_id} className={styles.card}>
                {item.image_url ? <img src={item.image_url} alt="" /> : <div className={styles.imagePlaceholder} />}
                <h2 className={styles.cardTitle}>{item.title}</h2>
                {item.vendor ? <p className={styles.hint}>{item.vendor}</p> : null}
                <p className={styles.facts}>
                  <span>{money(item.price, item.currency, language)}</span>
                  {!item.in_stock ? <span className={styles.out}>{t('favourites.outOfStock')}</span> : null}
                </p>
                <HeartButton
                  key={`${item.variant_id}-${String(item.favourite)}`}
                  variantId={item.variant_id}
                  title={item.title}
                  initial={item.favourite}
                />
              </li>
            ))}
          </ul>
          {more ? (
            <button type="button" className={styles.secondary} onClick={loadMore}>
              {t('catalogue.more')}
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}
