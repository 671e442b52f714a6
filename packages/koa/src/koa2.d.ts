// Koa 2 is installed under the alias `koa2` for the adapter's tests
// (devDependency `koa2: npm:koa@2`); @types/koa types both majors.
declare module 'koa2' {
  import Koa from 'koa';
  export default Koa;
}
