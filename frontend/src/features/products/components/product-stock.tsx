import { ArrowLeft, PackageX, Warehouse } from 'lucide-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';

import { Card } from '@/components/card.tsx';
import { Table } from '@/components/ui/table.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { SkeletonBlock } from '@/components/ui/skeleton.tsx';
import { formatMoney, formatNumber } from '@/lib/format.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';

import { type ProductDetail, productOptions, type StockLocation, stockGrid } from '../api/products.ts';
import styles from './product-stock.module.css';

const BackToOrders = () => {
  const { t } = useTranslation('fulfilments');
  return (
    <Link to="/orders" className={styles.back}>
      <ArrowLeft aria-hidden="true" size={16} />
      {t('product.backToOrders')}
    </Link>
  );
};

/** /products/:productId — a product's variants and their stock at each Shopify location. */
export function ProductPage({ productId }: { productId: string }) {
  const { t } = useTranslation('fulfilments');
  const product = useQuery(productOptions(productId));
  const title = product.data?.title ?? t('product.title');
  useEffect(() => {
    document.title = `${title} · Cairn`;
  }, [title]);
  if (product.isPending) {
    return (
      <div role="status" aria-label={t('product.loading')}>
        <SkeletonBlock width="6rem" />
        <SkeletonBlock width="14rem" height="2rem" />
        <SkeletonBlock height="12rem" />
      </div>
    );
  }
  if (product.isError) {
    return (
      <>
        <BackToOrders />
        <h1 className="page-title">{t('product.title')}</h1>
        <ErrorState description={t('product.loadFailed')} onRetry={() => void product.refetch()} />
      </>
    );
  }
  if (!product.data) {
    return (
      <>
        <BackToOrders />
        <h1 className="page-title">{t('product.notFoundTitle')}</h1>
        <EmptyState icon={PackageX} title={t('product.notFoundTitle')} description={t('product.notFoundDescription')} />
      </>
    );
  }
  return <ProductView product={product.data} />;
}

export function ProductView({ product }: { product: ProductDetail }) {
  const { t } = useTranslation('fulfilments');
  const zone = useZoneAndLanguage();
  const { locations, levels } = stockGrid(product);
  const quantity = (value: number | null | undefined) =>
    value === undefined ? '—' : value === null ? t('product.notTracked') : formatNumber(value, zone.language);
  const locationName = (location: StockLocation) =>
    location.name ?? t('product.unnamedLocation', { id: location.externalId });
  return (
    <div className={styles.page}>
      <BackToOrders />
      <header>
        <h1 className="page-title">{product.title}</h1>
        <p className={styles.muted}>
          {[product.vendor, product.product_type, product.shop?.name, t(`product.status.${product.status}`)]
            .filter(Boolean)
            .join(' · ')}
        </p>
      </header>
      <Card title={t('product.stockByLocation')}>
        {product.product_variants.length === 0 ? (
          <p className={styles.muted}>{t('product.noVariants')}</p>
        ) : (
          <>
            {locations.length === 0 ? (
              <p className={styles.hint}>
                <Warehouse aria-hidden="true" size={16} /> {t('product.noLevels')}
              </p>
            ) : null}
            <div className={styles.tableWrap}>
              <Table
                className={styles.table}
                caption={t('product.stockByLocation')}
                columns={[
                  { label: t('product.variant') },
                  { label: t('product.price'), className: 'numeric' },
                  ...locations.map((location) => ({
                    label: location.active
                      ? locationName(location)
                      : t('product.inactiveLocation', { name: locationName(location) }),
                    className: 'numeric',
                  })),
                  { label: t('product.total'), className: 'numeric' },
                ]}
              >
                {product.product_variants.map((variant) => (
                  <tr key={variant.id}>
                    <td>
                      <span className={styles.strong}>{variant.title}</span>
                      {variant.sku ? <span className={styles.muted}> · {variant.sku}</span> : null}
                    </td>
                    <td className="numeric">{formatMoney(variant.price, variant.currency, zone.language)}</td>
                    {locations.map((location) => (
                      <td key={location.id} className="numeric">
                        {quantity(levels.get(variant.id)?.get(location.id))}
                      </td>
                    ))}
                    <td className="numeric">{quantity(variant.inventory_quantity)}</td>
                  </tr>
                ))}
              </Table>
            </div>
          </>
        )}
      </Card>
    </div>
  );
}
