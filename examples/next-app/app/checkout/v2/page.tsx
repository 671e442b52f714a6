export default function CheckoutV2() {
  return <h1 id="checkout">Checkout v2</h1>;
}
