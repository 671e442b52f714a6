// Visitors who get checkout-v2 never see this page: the middleware redirects them to /checkout/v2.
export default function Checkout() {
  return <h1 id="checkout">Checkout</h1>;
}
