import { useParams } from 'react-router-dom';

import { productOptions } from '@/features/products/api/products.ts';
import { ProductPage } from '@/features/products/components/product-stock.tsx';
import { queryClient } from '@/lib/query-client.ts';

/** Called by the router as soon as this page's code has arrived: asks for the product at once. */
export function prefetch(): void {
  const match = /^\/products\/([^/]+)$/.exec(window.location.pathname);
  if (match) void queryClient.prefetchQuery(productOptions(decodeURIComponent(match[1])));
}

/** One product: its variants, prices and stock per Shopify location. */
export function ProductRoute() {
  const { productId = '' } = useParams();
  return <ProductPage key={productId} productId={productId} />;
}
