import { useCallback, useEffect, useId, useState } from 'react';

import {
  favourites,
  setFavourite,
  similarProducts,
  type Favourite,
  type FavouriteSort,
  type SimilarItem,
} from '../api/portal.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.ts';
import { money, percent } from '../format.ts';
import styles from '../portal.module.css';

const SORTS: FavouriteSort[] = ['recent', 'back_in_stock', 'biggest_drop'];

/** My favourites: price when saved and now, the change, stock, a link; remove; sort. */
export function FavouritesPage() {
  const { t, language } = useI18n();
  const id = useId();
  const { customerId } = useSession();
  const [sort, setSort] = useState<FavouriteSort>('recent');
  const [items, setItems] = useState<Favourite[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [notice, setNotice] = useState('');

  const load = useCallback(() => {
    favourites(sort).then(
      (found) => {
        setFailed(false);
        setItems(found);
      },
      () => setFailed(true),
    );
  }, [sort]);

  useEffect(() => {
    if (customerId) load();
  }, [customerId, load]);

  const remove = async (item: Favourite) => {
    try {
      await setFavourite(item.variant_id, false);
      setItems((current) => current?.filter((other) => other.favorite_id !== item.favorite_id) ?? null);
      setNotice(t('favourites.removed', { title: item.title }));
    } catch {
      setNotice(t('favourites.removeFailed'));
    }
  };

  return (
    <section className={styles.page} aria-labelledby={`${id}-h`}>
      <h1 id={`${id}-h`}>{t('favourites.title')}</h1>
      <div className={styles.field} style={{ maxWidth: '18rem' }}>
        <label htmlFor={`${id}-sort`}>{t('favourites.sort')}</label>
        <select id={`${id}-sort`} value={sort} onChange={(event) => setSort(event.target.value as FavouriteSort)}>
          {SORTS.map((value) => (
            <option key={value} value={value}>
              {t(`favourites.sorts.${value}`)}
            </option>
          ))}
        </select>
      </div>
      <p role="status" className={styles.success}>
        {notice}
      </p>
      {failed ? (
        <div role="alert">
          <p className={styles.error}>{t('errors.loadFailed')}</p>
          <button type="button" className={styles.secondary} onClick={load}>
            {t('common.retry')}
          </button>
        </div>
      ) : items === null ? (
        <p role="status">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <div>
          <p>{t('favourites.empty')}</p>
          <Link to="/catalogue">{t('favourites.browse')}</Link>
        </div>
      ) : (
        <ul className={styles.list}>
          {items.map((item) => (
            <li key={item.favorite_id} className={styles.row}>
              {item.image_url ? <img src={item.image_url} alt="" /> : <div className={styles.imagePlaceholder} />}
              <div>
                <h2 className={styles.cardTitle}>
                  {item.url ? (
                    <a href={item.url} target="_blank" rel="noopener noreferrer">
                      {item.title}
                    </a>
                  ) : (
                    item.title
                  )}
                </h2>
                {item.vendor ? <p className={styles.hint}>{item.vendor}</p> : null}
                <p className={styles.facts}>
                  <span>
                    {t('favourites.saved', { price: money(item.price_at_favorite, item.currency, language) })}
                  </span>
                  <span>{t('favourites.now', { price: money(item.price_now, item.currency, language) })}</span>
                  {item.change_percent !== null && item.change_percent !== 0 ? (
                    <span className={item.change_percent < 0 ? styles.drop : styles.rise}>
                      {percent(item.change_percent, language)}
                    </span>
                  ) : null}
                  <span className={item.in_stock && item.available ? undefined : styles.out}>
                    {!item.available
                      ? t('favourites.unavailable')
                      : item.in_stock
                        ? t('favourites.inStock')
                        : t('favourites.outOfStock')}
                  </span>
                </p>
                <div className={styles.actions}>
                  <button type="button" className={styles.secondary} onClick={() => void remove(item)}>
                    {t('favourites.remove')}
                    <span className={styles.visuallyHidden}>: {item.title}</span>
                  </button>
                </div>
                {!item.in_stock ? <Similar productId={item.product_id} title={item.title} /> : null}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** "Similar products you may like" for an out-of-stock favourite (seed 000, Logic A). */
function Similar({ productId, title }: { productId: string; title: string }) {
  const { t, language } = useI18n();
  const [items, setItems] = useState<SimilarItem[] | null>(null);
  useEffect(() => {
    similarProducts(productId).then(setItems, () => setItems([]));
  }, [productId]);
  if (!items?.length) return null;
  return (
    <section aria-label={t('similar.title', { title })}>
      <h3 className={styles.hint}>{t('similar.heading')}</h3>
      <ul className={styles.facts} style={{ listStyle: 'none', padding: 0 }}>
        {items.map((item) => (
          <li key={item.product_id}>
            {item.title} · {money(item.price, item.currency, language)}
          </li>
        ))}
      </ul>
    </section>
  );
}
